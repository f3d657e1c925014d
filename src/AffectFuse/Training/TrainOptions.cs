using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Training;

/// <summary>How α is derived for the focal loss.</summary>
public enum ClassWeighting
{
    /// <summary>α = 1 for every class.</summary>
    Uniform,
    /// <summary>α ∝ (1 / frequency)^power, normalised to mean 1.</summary>
    InverseFrequency,
}

/// <summary>Training settings. Saved beside every checkpoint so a result can be reproduced.</summary>
public sealed record TrainOptions
{
    /// <summary>Window length T in frames.</summary>
    public int Window { get; init; } = 128;

    /// <summary>Stride between training windows.</summary>
    public int Stride { get; init; } = 64;

    /// <summary>Windows per batch.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Maximum epochs.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Peak learning rate (AdamW).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Linear warm-up length in optimiser steps (capped at a tenth of the run); cosine decay to zero follows.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Gradient-norm clipping threshold.</summary>
    public double GradientClip { get; init; } = 1.0;

    /// <summary>Stop after this many epochs without a better validation macro-F1.</summary>
    public int Patience { get; init; } = 6;

    /// <summary>Seed for initialisation, shuffling and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Focal-loss γ (0 = cross-entropy).</summary>
    public double FocalGamma { get; init; } = 2.0;

    /// <summary>Focal-loss α from training-label frequencies.</summary>
    public ClassWeighting ClassWeighting { get; init; } = ClassWeighting.InverseFrequency;

    /// <summary>Power softening the inverse-frequency α (0.5 = square root).</summary>
    public double ClassWeightPower { get; init; } = 0.5;

    /// <summary>Modality dropout; null disables it.</summary>
    public ModalityDropoutOptions? ModalityDropout { get; init; } = new();

    /// <summary>Architecture.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>Soft-voting settings used for validation each epoch.</summary>
    public InferenceOptions Validation { get; init; } = new();

    /// <summary>Torch intra-op threads (0 = library default).</summary>
    public int Threads { get; init; } = 0;
}
