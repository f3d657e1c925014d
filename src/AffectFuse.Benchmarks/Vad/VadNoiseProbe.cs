using AffectFuse.Audio;
using AffectFuse.Benchmarks.Compose;

namespace AffectFuse.Benchmarks.Vad;

/// <summary>Scores digital silence and white and pink noise at several levels: whatever makes the VAD hear speech in
/// loud recordings must not make it hear speech in these.</summary>
internal static class VadNoiseProbe
{
    /// <summary>Noise levels probed, dB RMS re full scale: from dither to noise louder than most speech.</summary>
    public static readonly double[] LevelsDbfs = [-90, -60, -45, -30, -20, -12, -6];

    private const double Seconds = 10;

    /// <summary>One row for silence, then one per noise kind and level; seeded, so the same every run.</summary>
    public static IReadOnlyList<VadNoiseRow> Run(SileroVad vad)
    {
        int count = (int)(Seconds * SileroVad.SampleRate);
        var rows = new List<VadNoiseRow> { Score(vad, "silence", double.NegativeInfinity, new float[count]) };
        foreach (var kind in new[] { NoiseKind.White, NoiseKind.Pink })
        {
            foreach (double level in LevelsDbfs)
                rows.Add(Score(vad, kind.ToString().ToLowerInvariant(), level, Noise(kind, level, count)));
        }
        return rows;
    }

    // Unit-RMS noise scaled to the level and clipped to full scale, as a recorder would.
    private static float[] Noise(NoiseKind kind, double levelDbfs, int count)
    {
        float[] x = NoiseGenerator.Generate(kind, count, new Random(20));
        float gain = (float)Math.Pow(10, levelDbfs / 20);
        for (int i = 0; i < x.Length; i++)
            x[i] = Math.Clamp(x[i] * gain, -1f, 1f);
        return x;
    }

    private static VadNoiseRow Score(SileroVad vad, string signal, double levelDbfs, float[] pcm)
    {
        float[] p = vad.SpeechProbabilities(pcm);
        return new VadNoiseRow(signal, levelDbfs, p.Length, p.Max(), p.Count(v => v >= VadBenchmark.Threshold) / (double)p.Length);
    }
}
