namespace AffectFuse.Features.Visual;

/// <summary>Per-video memory of the last face frame's landmark measures, for the landmark group's change columns:
/// a change is only meaningful between consecutive frames, so after a frame without a face it is zero.</summary>
public sealed class LandmarkHistory
{
    private readonly float[] _previous = new float[LandmarkGeometry.Count];
    private int _previousFrame = int.MinValue;

    /// <summary>Writes <paramref name="measures"/> − the previous frame's into <paramref name="delta"/> (zeros when frame
    /// <paramref name="frame"/> − 1 had no face) and remembers this frame's.</summary>
    public void Delta(int frame, ReadOnlySpan<float> measures, Span<float> delta)
    {
        if (frame <= _previousFrame)
            throw new ArgumentException($"frames must increase: {frame} after {_previousFrame}", nameof(frame));
        bool consecutive = frame == _previousFrame + 1;
        for (int i = 0; i < measures.Length; i++)
            delta[i] = consecutive ? measures[i] - _previous[i] : 0f;
        measures.CopyTo(_previous);
        _previousFrame = frame;
    }
}
