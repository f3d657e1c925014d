using AffectFuse.Features;

namespace AffectFuse.Benchmarks;

/// <summary>One measurement, taken in its own process so its peak memory is its own.</summary>
/// <param name="Stage">What was timed.</param>
/// <param name="Video">The file.</param>
/// <param name="Frames">Frames processed.</param>
/// <param name="VideoSeconds">Duration of those frames.</param>
/// <param name="WallSeconds">Wall-clock time of the timed part (model loading excluded).</param>
/// <param name="CpuSeconds">CPU time of the timed part, all threads, plus waited-for child processes (ffmpeg audio).</param>
/// <param name="PeakRssBytes">Process peak resident set (VmHWM) at the end, models included; -1 where unknown.</param>
/// <param name="Statistics">Extraction stage timings (not for <see cref="PipelineStage.Decode"/>).</param>
public sealed record PipelineMeasurement(
    PipelineStage Stage,
    string Video,
    int Frames,
    double VideoSeconds,
    double WallSeconds,
    double CpuSeconds,
    long PeakRssBytes,
    ExtractionStatistics? Statistics)
{
    /// <summary>CPU time per step of the path (extract and extract + model), in path order; null for decoding alone.</summary>
    public IReadOnlyList<StageCost>? Stages { get; init; }

    /// <summary>CPU seconds of the child processes the timed part waited for (ffprobe, ffmpeg decoding the audio).</summary>
    public double ChildCpuSeconds { get; init; }

    /// <summary>Seconds the runtime spent compiling .NET methods during the timed part (tier-0 code for first calls, then
    /// optimised code for hot ones; <see cref="System.Runtime.JitInfo"/>), on any thread.</summary>
    public double JitSeconds { get; init; }

    /// <summary>CPU seconds no recorded step accounts for: GC, hand-offs between threads, bookkeeping (compiling, measured
    /// apart in <see cref="JitSeconds"/>, is not counted here).</summary>
    public double? UnattributedCpuSeconds => Stages is null ? null : CpuSeconds - ChildCpuSeconds - JitSeconds - Stages.Sum(s => s.CpuSeconds);

    /// <summary>Frames per wall-clock second.</summary>
    public double FramesPerSecond => Frames / Math.Max(WallSeconds, 1e-9);

    /// <summary>Seconds of video per wall-clock second.</summary>
    public double RealTimeFactor => VideoSeconds / Math.Max(WallSeconds, 1e-9);

    /// <summary>Wall seconds of the temporal model alone (extract + model minus the extraction), or null.</summary>
    public double? ModelSeconds => Stage == PipelineStage.ExtractAndModel && Statistics is { } s ? Math.Max(0, WallSeconds - s.WallSeconds) : null;

    /// <summary>Frames per second this path could reach with <paramref name="cores"/> otherwise idle cores, if its CPU time
    /// spread perfectly over them: an upper bound that, unlike wall time, does not depend on other load on the machine.</summary>
    public double CpuBoundFramesPerSecond(int cores) => cores * 1000 / Math.Max(CpuMillisecondsPerFrame, 1e-9);

    /// <summary>CPU milliseconds per frame (less sensitive than wall time to other load on the machine).</summary>
    public double CpuMillisecondsPerFrame => 1000 * CpuSeconds / Math.Max(Frames, 1);
}
