namespace AffectFuse.Features.Visual;

/// <summary>Per-video memory of the last measured face's landmark measures, for the landmark group's change columns:
/// the change per frame since that face, and zero where the face was missing in between (a change across an absence
/// says nothing about the expression).</summary>
internal sealed class LandmarkHistory
{
    private readonly float[] _previous = new float[LandmarkGeometry.Count];
    private int _previousFrame = int.MinValue;

    /// <summary>Writes (<paramref name="measures"/> − the previous measured frame's) / frames between into
    /// <paramref name="delta"/>, or zeros when <paramref name="continues"/> is false (the face was missing since), and
    /// remembers this frame's.</summary>
    public void Delta(int frame, bool continues, ReadOnlySpan<float> measures, Span<float> delta)
    {
        if (frame <= _previousFrame)
            throw new ArgumentException($"frames must increase: {frame} after {_previousFrame}", nameof(frame));
        bool known = continues && _previousFrame != int.MinValue;
        float perFrame = known ? 1f / (frame - _previousFrame) : 0f;
        for (int i = 0; i < measures.Length; i++)
            delta[i] = known ? (measures[i] - _previous[i]) * perFrame : 0f;
        measures.CopyTo(_previous);
        _previousFrame = frame;
    }
}
