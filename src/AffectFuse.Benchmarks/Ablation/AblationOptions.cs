using AffectFuse.Audio;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Training;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Settings of an ablation: seeds, the shared model/training size, and the validation grids of the inference rungs.</summary>
public sealed record AblationOptions
{
    /// <summary>Seeds per configuration (seed values 1..Seeds). Default 3.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Model size and optimiser settings shared by every rung. The rung decides modalities, fusion, safe attention,
    /// modality dropout, γ/α and the seed; validation during training always uses the base inference (S = T, δ = 0).</summary>
    public TrainOptions Training { get; init; } = DefaultTraining;

    /// <summary>Strides the soft-voting rung tries, as fractions of the window T (each below 1).</summary>
    public IReadOnlyList<double> VotingStrideFractions { get; init; } = [0.125, 0.25, 0.5];

    /// <summary>Half-widths δ the smoothing rung tries, in frames (each above 0).</summary>
    public IReadOnlyList<int> SmoothingHalfWidths { get; init; } = [4, 8, 16, 32, 50];

    /// <summary>Which ladder (<see cref="AblationLadder.Ladders"/>): <c>standard</c> (the method's components, default) or
    /// <c>features</c> (the feature sets, on data extracted with every group).</summary>
    public string Ladder { get; init; } = "standard";

    /// <summary>The rungs of <see cref="Ladder"/> to run.</summary>
    public IReadOnlyList<AblationConfig> SelectedConfigs => AblationLadder.Select(Configs,
        AblationLadder.Ladders.TryGetValue(Ladder, out var ladder) ? ladder
            : throw new AffectFuseException("--ladder", $"unknown ladder '{Ladder}'; choose from {string.Join(", ", AblationLadder.Ladders.Keys)}"))
        .Select(c => c with { VisualGroups = c.VisualGroups ?? Visual, AudioGroups = c.AudioGroups ?? Audio }).ToList();

    /// <summary>Visual feature groups of every rung that does not choose its own (<c>--visual</c>); null = the data as stored.</summary>
    public VisualFeatureGroups? Visual { get; init; }

    /// <summary>Audio feature groups of every rung that does not choose its own (<c>--audio</c>); null = the data as stored.</summary>
    public AudioFeatureGroups? Audio { get; init; }

    /// <summary>Rungs to run (by name; their dependencies are added); null or empty = the whole ladder.</summary>
    public IReadOnlyList<string>? Configs { get; init; }

    /// <summary>Windows per forward pass at inference.</summary>
    public int InferenceBatchSize { get; init; } = 32;

    /// <summary>Sized for the composed benchmark (about 30 training clips of 20–40 s) so that the seven trained rungs × 3 seeds
    /// take about a quarter of an hour on two CPU cores: d = 64, one self-attention layer per branch, one cross layer, T = 64,
    /// one torch thread.</summary>
    /// <remarks>One thread because on a busy machine libtorch's second intra-op thread made epochs 5–15× slower (measured
    /// here: 11 s vs 48–80 s per epoch at d = 128), and a model this small gains nothing from it on an idle one.</remarks>
    public static TrainOptions DefaultTraining { get; } = new()
    {
        Window = 64,
        Stride = 32,
        BatchSize = 16,
        Epochs = 12,
        LearningRate = 2e-3,
        WarmupSteps = 50,
        Patience = 5,
        Threads = 1,
        Model = new ModelOptions { Width = 64, Heads = 4, SelfLayers = 1, CrossLayers = 1, FeedForward = 128 },
    };

    /// <summary>The inference every trained rung is validated and tested with: windows of T, stride T (no voting), no smoothing.</summary>
    public InferenceOptions BaseInference => new()
    {
        Window = Training.Window,
        Stride = Training.Window,
        CentreWeighted = true,
        SmoothingHalfWidth = 0,
        BatchSize = InferenceBatchSize,
    };

    /// <summary>Checks every value the one way options are checked (<see cref="TrainOptions.Validate"/> for the training
    /// settings); a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("--seeds", Seeds, 1, 1000);
        Training.Validate();
        OptionCheck.Range("--window", Training.Window, 2, Training.Model.MaxLength, "soft voting needs two frames or more");
        OptionCheck.Range(nameof(InferenceBatchSize), InferenceBatchSize, 1, 65536);
        if (VotingStrideFractions.Count == 0 || VotingStrideFractions.Any(f => !(f > 0 && f < 1)))
            throw OptionCheck.Bad(nameof(VotingStrideFractions), "must be in (0, 1): soft voting means a stride below the window", string.Join(",", VotingStrideFractions));
        if (VotingStrideFractions.Any(f => (int)Math.Round(Training.Window * f) < 1 || (int)Math.Round(Training.Window * f) >= Training.Window))
            throw OptionCheck.Bad(nameof(VotingStrideFractions), $"must each give a stride of 1..{Training.Window - 1} frames for window {Training.Window}", string.Join(",", VotingStrideFractions));
        if (SmoothingHalfWidths.Count == 0 || SmoothingHalfWidths.Any(d => d < 1))
            throw OptionCheck.Bad(nameof(SmoothingHalfWidths), "must each be at least 1 frame", string.Join(",", SmoothingHalfWidths));
        _ = SelectedConfigs;
    }
}
