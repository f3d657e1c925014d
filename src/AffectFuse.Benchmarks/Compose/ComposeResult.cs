namespace AffectFuse.Benchmarks.Compose;

/// <summary>The outcome of a compose run.</summary>
/// <param name="Manifest">The manifest written to compose.json.</param>
/// <param name="Summaries">Per-split contents.</param>
/// <param name="Clips">Per clip: name, whether it was skipped, seconds spent.</param>
public sealed record ComposeResult(ComposeManifest Manifest, IReadOnlyList<ComposeSummary> Summaries, IReadOnlyList<ComposeProgress> Clips);
