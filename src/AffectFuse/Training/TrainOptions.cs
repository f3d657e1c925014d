using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Training;

/// <summary>Training settings. Saved beside every checkpoint so a result can be reproduced.</summary>
public sealed record TrainOptions
{
    /// <summary>Window length T in frames.</summary>
    public int Window { get; init; } = 128;

    /// <summary>Stride between training windows (at most the window).</summary>
    public int Stride { get; init; } = 64;

    /// <summary>Start each video's grid of windows at a random offset in [0, <see cref="Stride"/>) drawn per epoch (seeded),
    /// so window edges move between epochs. With <see cref="Stride"/> = <see cref="Window"/> an epoch sees every frame
    /// once, the cheapest full pass at Aff-Wild2's scale. Off by default, as runs saved before it existed trained.</summary>
    public bool RandomPhase { get; init; }

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

    /// <summary>Label smoothing ε of the loss: the target puts 1 − ε on the labelled class and ε spread evenly over the
    /// eight (0 = none, the default and what runs saved before it read as).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Mixup α: each training window is blended with another of its batch, features and loss λ : 1 − λ with
    /// λ ~ Beta(α, α) (0 = none, the default and what runs saved before it read as; 0.1–0.4 is the usual range).</summary>
    public double Mixup { get; init; }

    /// <summary>Calibrate the face prior (<see cref="ModelOptions.FacePrior"/>) before training and hold it fixed: its
    /// nets' weights and per-class offsets are fitted by maximum likelihood to the training frames with a face, and only
    /// the Transformer's residual over it is learned. Off (the default, and what runs saved before it read as): the
    /// weights start at face-api 1, the other nets 0, and are learned with the rest.</summary>
    public bool CalibratedFacePrior { get; init; }

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

    /// <summary>Checks every value, the nested records' too, before any data is read; a bad one is an
    /// <see cref="AffectFuseException"/> naming the option and its allowed range.</summary>
    public void Validate()
    {
        Model.Validate();
        OptionCheck.Range("TrainOptions.Window", Window, 1, Model.MaxLength, "the model's maximum positional length");
        OptionCheck.Range("TrainOptions.Stride", Stride, 1, Window, "the window; a longer stride would skip frames");
        OptionCheck.Range("TrainOptions.BatchSize", BatchSize, 1, 1 << 16);
        OptionCheck.Range("TrainOptions.Epochs", Epochs, 1, 1 << 20);
        OptionCheck.Positive("TrainOptions.LearningRate", LearningRate);
        OptionCheck.Range("TrainOptions.WeightDecay", WeightDecay, 0, double.PositiveInfinity);
        OptionCheck.Range("TrainOptions.WarmupSteps", WarmupSteps, 0, int.MaxValue);
        OptionCheck.Positive("TrainOptions.GradientClip", GradientClip);
        OptionCheck.Range("TrainOptions.Patience", Patience, 1, int.MaxValue);
        OptionCheck.Range("TrainOptions.FocalGamma", FocalGamma, 0, double.PositiveInfinity);
        OptionCheck.Range("TrainOptions.LabelSmoothing", LabelSmoothing, 0, 1, maxInclusive: false);
        OptionCheck.Range("TrainOptions.Mixup", Mixup, 0, 100);
        if (CalibratedFacePrior && !Model.FacePrior)
            throw OptionCheck.Fail("TrainOptions.CalibratedFacePrior", "needs the face prior (ModelOptions.FacePrior)");
        OptionCheck.Defined("TrainOptions.ClassWeighting", ClassWeighting);
        OptionCheck.Range("TrainOptions.ClassWeightPower", ClassWeightPower, 0, double.PositiveInfinity);
        ModalityDropout?.Validate();
        Validation.Validate(Model.MaxLength);
        OptionCheck.Range("TrainOptions.Threads", Threads, 0, 4096);
    }
}
