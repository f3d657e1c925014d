namespace AffectFuse.Benchmarks.Vad;

/// <summary>How Silero VAD scores one corpus: overall, by emotion, by intensity (RAVDESS) and by both, and every
/// recording it misses.</summary>
/// <param name="Corpus">The corpus.</param>
/// <param name="All">Every recording.</param>
/// <param name="ByEmotion">One group per emotion.</param>
/// <param name="ByIntensity">One group per intensity; empty for EmoDB.</param>
/// <param name="ByEmotionAndIntensity">One group per emotion and intensity; empty for EmoDB.</param>
/// <param name="Misses">The recordings whose chunk or frame maximum stays below the threshold, lowest frame maximum first.</param>
public sealed record VadCorpusReport(string Corpus, VadGroup All, IReadOnlyList<VadGroup> ByEmotion, IReadOnlyList<VadGroup> ByIntensity,
    IReadOnlyList<VadGroup> ByEmotionAndIntensity, IReadOnlyList<VadScore> Misses)
{
    /// <summary>Summarises one corpus's <paramref name="scores"/>.</summary>
    public static VadCorpusReport Of(string corpus, IReadOnlyList<VadScore> scores)
    {
        var withIntensity = scores.Where(s => s.Utterance.Intensity is not null).ToList();
        return new VadCorpusReport(corpus, VadGroup.Of("all", scores),
            GroupBy(scores, s => s.Utterance.Emotion),
            GroupBy(withIntensity, s => s.Utterance.Intensity!),
            GroupBy(withIntensity, s => $"{s.Utterance.Emotion}/{s.Utterance.Intensity}"),
            [.. scores.Where(s => s.Missed || s.FrameMissed).OrderBy(s => s.MaxFrameProbability)]);
    }

    private static VadGroup[] GroupBy(IEnumerable<VadScore> scores, Func<VadScore, string> key) =>
        [.. scores.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => VadGroup.Of(g.Key, g.ToList()))];
}
