using AffectFuse.Audio;
using AffectFuse.Features.Visual;
using AffectFuse.Model;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>What an inference-only rung chooses on validation.</summary>
public enum InferenceTuning
{
    /// <summary>Nothing: windows of T with stride T (no voting), no smoothing.</summary>
    None,
    /// <summary>Soft voting: the stride S &lt; T, picked from a small grid.</summary>
    SoftVoting,
    /// <summary>Smoothing: the half-width δ of the centred moving average, on top of the previous rung's voting.</summary>
    Smoothing,
}

/// <summary>One configuration (rung) of the ablation ladder.</summary>
public sealed record AblationConfig
{
    /// <summary>Short name used on the command line, in tables and as the run folder.</summary>
    public required string Name { get; init; }

    /// <summary>What the rung is, in a few words.</summary>
    public required string Description { get; init; }

    /// <summary>Streams the model uses.</summary>
    public ModalityUse Modalities { get; init; } = ModalityUse.Both;

    /// <summary>Fusion method.</summary>
    public FusionKind Fusion { get; init; } = FusionKind.CrossAttentionGated;

    /// <summary>Safe attention (false = plain masked softmax, NaN-prone).</summary>
    public bool SafeAttention { get; init; } = true;

    /// <summary>Train with modality dropout (the project's default probabilities unless <see cref="DropoutSettings"/> says otherwise).</summary>
    public bool ModalityDropout { get; init; }

    /// <summary>Modality-dropout probabilities for this rung; null = the project's defaults.</summary>
    public ModalityDropoutOptions? DropoutSettings { get; init; }

    /// <summary>Focal loss (γ = 2, inverse-frequency α) instead of cross-entropy (γ = 0, uniform α).</summary>
    public bool FocalLoss { get; init; }

    /// <summary>What this rung chooses at inference.</summary>
    public InferenceTuning Tuning { get; init; }

    /// <summary>The rung whose trained models this one reuses unchanged; null when it trains its own.</summary>
    public string? ReusesModelsOf { get; init; }

    /// <summary>The rung whose chosen inference settings this one starts from; null = the base (S = T, δ = 0).</summary>
    public string? InferenceFrom { get; init; }

    /// <summary>Visual feature groups the rung's models read (a subset of what the data holds); null = the data's columns as they are.</summary>
    public VisualFeatureGroups? VisualGroups { get; init; }

    /// <summary>Audio feature groups the rung's models read; null = the data's columns as they are.</summary>
    public AudioFeatureGroups? AudioGroups { get; init; }

    /// <summary>Whether the report lists this rung's per-class test F1.</summary>
    public bool ReportPerClass { get; init; }

    /// <summary>True when the rung trains models of its own.</summary>
    public bool Trains => ReusesModelsOf is null;

    /// <summary>Rungs that must run first (whose models or inference settings this one uses).</summary>
    public IEnumerable<string> Dependencies => new[] { ReusesModelsOf, InferenceFrom }.OfType<string>().Distinct();
}
