namespace AffectFuse.Benchmarks.Vad;

/// <summary>Peak, RMS and clipped samples of a signal seen in chunks: the level a VAD miss is set against.</summary>
internal sealed class LevelMeter
{
    private double _squares;
    private long _count;

    public long Samples => _count;

    public float Peak { get; private set; }

    public int Clipped { get; private set; }

    public double RmsDbfs => 10 * Math.Log10(Math.Max(_squares / Math.Max(1, _count), 1e-20));

    public void Add(ReadOnlySpan<float> chunk)
    {
        foreach (float x in chunk)
        {
            float a = Math.Abs(x);
            Peak = Math.Max(Peak, a);
            if (a >= 0.999f)
                Clipped++;
            _squares += (double)x * x;
        }
        _count += chunk.Length;
    }
}
