using AffectFuse.Decoding;

namespace AffectFuse.Benchmarks;

/// <summary>The report: the three measurements on the given file and the peak memory on short and long loops of it.</summary>
internal sealed record PipelineBenchmarkReport(
    PipelineBenchmarkSettings Settings,
    VideoInfo Info,
    PipelineMeasurement Decode,
    PipelineMeasurement Extract,
    PipelineMeasurement ExtractAndModel,
    PipelineMeasurement? Short,
    PipelineMeasurement? Long)
{
    /// <summary>Whole path (extract + model) speed as a fraction of decode-only speed.</summary>
    public double FractionOfDecode => ExtractAndModel.FramesPerSecond / Math.Max(Decode.FramesPerSecond, 1e-9);

    /// <summary>Long-video peak memory over short-video peak memory (target ≤ 1.15).</summary>
    public double? MemoryRatio => Short is { PeakRssBytes: > 0 } s && Long is { PeakRssBytes: > 0 } l ? (double)l.PeakRssBytes / s.PeakRssBytes : null;
}
