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
    /// <summary>Extract + model with every face followed, on the clip (null unless <see cref="PipelineBenchmarkSettings.People"/>).</summary>
    public PipelineMeasurement? EveryFace { get; init; }

    /// <summary>Extract + model with every face followed, on the clip beside its mirror image.</summary>
    public PipelineMeasurement? TwoPersons { get; init; }

    /// <summary>CPU per frame with every face followed over the one-face path's, on the same clip (target ≤ 1.05).</summary>
    public double? EveryFaceCost => EveryFace is { } e ? e.CpuMillisecondsPerFrame / Math.Max(ExtractAndModel.CpuMillisecondsPerFrame, 1e-9) : null;

    /// <summary>The machine's 1-minute load average before the first measurement and after the last (NaN where
    /// unknown): ratios are comparable only between runs on a similarly loaded machine.</summary>
    public (double Before, double After) LoadAverage { get; init; } = (double.NaN, double.NaN);

    /// <summary>Whole path (extract + model) speed as a fraction of decode-only speed.</summary>
    public double FractionOfDecode => ExtractAndModel.FramesPerSecond / Math.Max(Decode.FramesPerSecond, 1e-9);

    /// <summary>Long-video peak memory over short-video peak memory (target ≤ 1.15).</summary>
    public double? MemoryRatio => Short is { PeakRssBytes: > 0 } s && Long is { PeakRssBytes: > 0 } l ? (double)l.PeakRssBytes / s.PeakRssBytes : null;
}
