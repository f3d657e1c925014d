namespace AffectFuse.Benchmarks.Compose;

/// <summary>What one split of a composed benchmark holds.</summary>
/// <param name="Split">The split.</param>
/// <param name="Clips">Number of clips.</param>
/// <param name="Frames">Frames over all its clips.</param>
/// <param name="ClassShares">Share of frames per class, Aff-Wild2 order.</param>
/// <param name="AbsentShare">Share of frames without a usable face.</param>
/// <param name="SilentShare">Share of frames with no utterance.</param>
public sealed record ComposeSummary(ComposeSplit Split, int Clips, long Frames, double[] ClassShares, double AbsentShare, double SilentShare)
{
    /// <summary>One summary per split that has clips, from the manifest's plans.</summary>
    public static IReadOnlyList<ComposeSummary> Of(ComposeManifest manifest) =>
        manifest.Clips.GroupBy(c => c.Split).OrderBy(g => g.Key).Select(g =>
        {
            long frames = g.Sum(c => (long)c.Frames);
            var counts = new long[ExpressionClasses.Count];
            foreach (var s in g.SelectMany(c => c.Segments))
                counts[s.Class] += s.EndFrame - s.StartFrame;
            return new ComposeSummary(g.Key, g.Count(), frames, counts.Select(n => (double)n / frames).ToArray(),
                (double)g.Sum(c => (long)c.AbsentFrames) / frames, (double)g.Sum(c => (long)c.SilentFrames) / frames);
        }).ToList();
}
