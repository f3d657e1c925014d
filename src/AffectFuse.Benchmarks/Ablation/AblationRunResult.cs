using AffectFuse.Inference;
using AffectFuse.Training;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>What a run was made with; a stored run is reused only when this matches the planned run exactly.</summary>
/// <param name="Training">The run's training options (for an inference-only rung, those of the models it reuses).</param>
/// <param name="Tuning">What the rung chose at inference.</param>
/// <param name="Grid">Strides (as fractions of T) or half-widths tried on validation; empty when nothing was tuned.</param>
/// <param name="Features">The feature groups the run read, when the rung chooses them (the feature ladder); null = the data as stored.</param>
internal sealed record AblationRunSettings(TrainOptions Training, InferenceTuning Tuning, IReadOnlyList<double> Grid, string? Features = null);

/// <summary>One validation sweep point of an inference-only rung.</summary>
internal sealed record AblationSweepPoint(int Stride, int SmoothingHalfWidth, double MacroF1, double Accuracy);

/// <summary>One configuration × seed: the model used, the settings chosen on validation, and the scores.</summary>
internal sealed record AblationRunResult
{
    /// <summary>Rung name.</summary>
    public required string Config { get; init; }

    /// <summary>Seed (the training seed of the model).</summary>
    public required int Seed { get; init; }

    /// <summary>What the run was made with.</summary>
    public required AblationRunSettings Settings { get; init; }

    /// <summary>True when this rung trained the model; false when it reused <see cref="ModelsFrom"/>'s.</summary>
    public required bool Trained { get; init; }

    /// <summary>The rung whose model was used (this one when <see cref="Trained"/>).</summary>
    public required string ModelsFrom { get; init; }

    /// <summary>The checkpoint used, relative to the ablation's output folder.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Epoch of the checkpoint (best validation macro-F1).</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Epochs trained.</summary>
    public required int EpochsRun { get; init; }

    /// <summary>Optimiser steps of the training run.</summary>
    public required long TrainingBatches { get; init; }

    /// <summary>Training steps whose loss was not finite.</summary>
    public required long NonFiniteTrainingBatches { get; init; }

    /// <summary>Inference settings chosen on validation and used for both splits.</summary>
    public required InferenceOptions Inference { get; init; }

    /// <summary>Every setting the validation sweep tried (empty for rungs that tune nothing).</summary>
    public required IReadOnlyList<AblationSweepPoint> ValidationSweep { get; init; }

    /// <summary>Validation scores with <see cref="Inference"/>.</summary>
    public required AblationScores Validation { get; init; }

    /// <summary>Test scores with <see cref="Inference"/> (computed once, after every choice was made).</summary>
    public required AblationScores Test { get; init; }

    /// <summary>Seconds spent training (0 for inference-only rungs).</summary>
    public required double TrainingSeconds { get; init; }

    /// <summary>Seconds spent choosing settings and scoring validation and test.</summary>
    public required double EvaluationSeconds { get; init; }
}
