using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Training;

namespace AffectFuse.Reporting;

/// <summary>What a report was made from: the checkpoint and the options it was trained with, the data, the inference
/// settings and when. Every member is optional; the report lists what is given.</summary>
internal sealed record ReportProvenance
{
    /// <summary>Checkpoint file.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The options the checkpoint was trained with (its architecture included).</summary>
    public TrainOptions? Training { get; init; }

    /// <summary>The checkpoint's training state (epoch, validation macro-F1, step).</summary>
    public CheckpointState? Checkpoint { get; init; }

    /// <summary>The features folder or video file the predictions were made from.</summary>
    public string? DataPath { get; init; }

    /// <summary>The annotation folder, for an evaluation.</summary>
    public string? LabelsPath { get; init; }

    /// <summary>Soft-voting and smoothing settings used.</summary>
    public InferenceOptions? Inference { get; init; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset Created { get; init; } = DateTimeOffset.Now;
}
