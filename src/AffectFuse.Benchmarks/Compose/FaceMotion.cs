namespace AffectFuse.Benchmarks.Compose;

/// <summary>Smooth small jitter of the face over time: position, scale, rotation and brightness, each a sum of two slow
/// sinusoids with random phases (a head that sways, a camera that breathes), plus a slight tremor.</summary>
public sealed class FaceMotion
{
    /// <summary>The face's pose and light at one instant.</summary>
    /// <param name="CentreX">Centre x as a share of the frame width.</param>
    /// <param name="CentreY">Centre y as a share of the frame height.</param>
    /// <param name="Scale">Multiplier of the base size.</param>
    /// <param name="AngleDegrees">Rotation, counter-clockwise.</param>
    /// <param name="Gain">Brightness multiplier.</param>
    public readonly record struct Pose(double CentreX, double CentreY, double Scale, double AngleDegrees, double Gain);

    private readonly (double Amp, double Freq, double Phase)[][] _terms;
    private readonly double _baseX, _baseY;

    /// <summary>Draws the motion's frequencies and phases.</summary>
    public FaceMotion(Random rng)
    {
        // Per channel: x, y (share of frame), scale, angle (degrees), gain; amplitudes are the "small" in small jitter.
        double[] amplitude = [0.06, 0.05, 0.08, 7.0, 0.15];
        _terms = amplitude.Select(a => new[]
        {
            (a * 0.7, 0.04 + 0.08 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (a * 0.25, 0.15 + 0.25 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
            (a * 0.05, 1.0 + 1.0 * rng.NextDouble(), 2 * Math.PI * rng.NextDouble()),
        }).ToArray();
        _baseX = 0.5 + 0.08 * (rng.NextDouble() - 0.5);
        _baseY = 0.5 + 0.06 * (rng.NextDouble() - 0.5);
    }

    /// <summary>The pose at <paramref name="seconds"/>.</summary>
    public Pose At(double seconds)
    {
        double Value(int channel) => _terms[channel].Sum(t => t.Amp * Math.Sin(2 * Math.PI * t.Freq * seconds + t.Phase));
        return new Pose(_baseX + Value(0), _baseY + Value(1), 1 + Value(2), Value(3), 1 + Value(4));
    }
}
