namespace AffectFuse.Benchmarks.Vad;

/// <summary>Result of <see cref="VadBenchmark"/>: per corpus, then the false-speech probe.</summary>
/// <param name="Threshold">Speech probability counted as speech.</param>
/// <param name="Corpora">RAVDESS then EmoDB.</param>
/// <param name="Noise">Silence and generated noise (<see cref="VadNoiseProbe"/>).</param>
public sealed record VadBenchmarkReport(double Threshold, IReadOnlyList<VadCorpusReport> Corpora, IReadOnlyList<VadNoiseRow> Noise);
