namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Size of one split of the data an ablation ran on, and how many of its windows lack a whole stream.</summary>
/// <param name="Videos">Videos in the split.</param>
/// <param name="Frames">Frames in the split.</param>
/// <param name="Windows">Windows of T frames: the training plan (stride of the training options) for the training split,
/// the base inference (stride T) for the others.</param>
/// <param name="WindowsMissingAStream">Of those, windows with no face at all or no audio at all: plain masked softmax turns
/// each of them into NaN even with finite weights.</param>
internal sealed record AblationSplit(int Videos, long Frames, long Windows, long WindowsMissingAStream);

/// <summary>Everything an ablation produced: the rungs, every run, and the aggregated rows.</summary>
internal sealed record AblationReport
{
    /// <summary>The command line that produced it (for the README).</summary>
    public required string Command { get; init; }

    /// <summary>When it was written (UTC).</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>The options it ran with.</summary>
    public required AblationOptions Options { get; init; }

    /// <summary>Training split size.</summary>
    public required AblationSplit Train { get; init; }

    /// <summary>Validation split size.</summary>
    public required AblationSplit Validation { get; init; }

    /// <summary>Test split size.</summary>
    public required AblationSplit Test { get; init; }

    /// <summary>The rungs, in ladder order.</summary>
    public required IReadOnlyList<AblationConfig> Configs { get; init; }

    /// <summary>Every run, rung by rung, seed by seed.</summary>
    public required IReadOnlyList<AblationRunResult> Runs { get; init; }

    /// <summary>One row per rung with at least one run.</summary>
    public required IReadOnlyList<AblationRow> Rows { get; init; }

    /// <summary>Runs trained or scored by this invocation (the rest were reused from an earlier one).</summary>
    public required int RunsComputed { get; init; }

    /// <summary>Runs reused from the output folder.</summary>
    public required int RunsReused { get; init; }

    /// <summary>Wall-clock seconds of this invocation.</summary>
    public required double Seconds { get; init; }
}
