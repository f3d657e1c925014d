namespace AffectFuse.Benchmarks.Vad;

/// <summary>One recording of a speech corpus, every one of which holds speech.</summary>
/// <param name="Corpus">"RAVDESS" or "EmoDB".</param>
/// <param name="Path">The audio file.</param>
/// <param name="Emotion">The corpus's own emotion name (RAVDESS's labels.csv; EmoDB's German letter spelled out).</param>
/// <param name="Intensity">RAVDESS's "normal" or "strong"; null for EmoDB, which has none.</param>
public sealed record VadUtterance(string Corpus, string Path, string Emotion, string? Intensity);
