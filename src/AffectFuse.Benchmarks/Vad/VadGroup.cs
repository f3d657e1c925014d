namespace AffectFuse.Benchmarks.Vad;

/// <summary>Summary of the <see cref="VadScore"/>s of a set of recordings.</summary>
/// <param name="Name">What the set is ("all", an emotion, an intensity, or "emotion/intensity").</param>
/// <param name="Utterances">Recordings in the set.</param>
/// <param name="Missed">Recordings whose maximum speech probability stays below the threshold.</param>
/// <param name="FrameMissed">Recordings where no video frame's VAD column (<c>speech_probability</c>) reaches it.</param>
/// <param name="MedianMax">Median over the recordings of the maximum speech probability.</param>
/// <param name="P5Max">5th percentile of the maximum speech probability.</param>
/// <param name="MedianSpeechFraction">Median share of chunks at or above the threshold.</param>
/// <param name="P5SpeechFraction">5th percentile of that share.</param>
public sealed record VadGroup(string Name, int Utterances, int Missed, int FrameMissed, double MedianMax, double P5Max, double MedianSpeechFraction, double P5SpeechFraction)
{
    /// <summary>Summarises <paramref name="scores"/> under <paramref name="name"/>.</summary>
    public static VadGroup Of(string name, IReadOnlyCollection<VadScore> scores)
    {
        double[] max = scores.Select(s => (double)s.MaxProbability).ToArray();
        double[] fraction = scores.Select(s => s.SpeechFraction).ToArray();
        return new VadGroup(name, scores.Count, scores.Count(s => s.Missed), scores.Count(s => s.FrameMissed),
            Percentile(max, 50), Percentile(max, 5), Percentile(fraction, 50), Percentile(fraction, 5));
    }

    // Linear interpolation between closest ranks (numpy's default); NaN for an empty set.
    internal static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0)
            return double.NaN;
        double[] sorted = [.. values.Order()];
        double rank = percent / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
