using AffectFuse.Data;

namespace AffectFuse.Model;

/// <summary>Which streams the model uses (ablations train single-modality models with the same code).</summary>
public enum ModalityUse
{
    /// <summary>Face and voice.</summary>
    Both,
    /// <summary>Visual branch only.</summary>
    VisualOnly,
    /// <summary>Audio branch only.</summary>
    AudioOnly,
}

/// <summary>How the two branches are combined.</summary>
public enum FusionKind
{
    /// <summary>Cross-attention between branches, then a mask-aware per-frame gate (the paper's method).</summary>
    CrossAttentionGated,
    /// <summary>No cross-attention: concatenate the two branches' outputs and project (ablation baseline).</summary>
    Concat,
}

/// <summary>Architecture of the dual-branch Transformer. Saved beside every checkpoint.</summary>
public sealed record ModelOptions
{
    /// <summary>Input visual feature width Dv.</summary>
    public int VisualDim { get; init; }

    /// <summary>Input audio feature width Da.</summary>
    public int AudioDim { get; init; }

    /// <summary>Model width d.</summary>
    public int Width { get; init; } = 128;

    /// <summary>Attention heads per layer.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Self-attention layers per branch.</summary>
    public int SelfLayers { get; init; } = 2;

    /// <summary>Bidirectional cross-attention layers.</summary>
    public int CrossLayers { get; init; } = 1;

    /// <summary>Feed-forward hidden width.</summary>
    public int FeedForward { get; init; } = 256;

    /// <summary>Dropout inside the Transformer layers.</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Dropout on the attention weights. Default 0: sampling a mask over every [B,H,T,T] score costs about as much as
    /// the attention itself on CPU and forces libtorch off its fused kernel; the residual dropout above still regularises.</summary>
    public double AttentionDropout { get; init; } = 0.0;

    /// <summary>Longest window the positional encoding supports.</summary>
    public int MaxLength { get; init; } = 1024;

    /// <summary>Safe attention (zero output for queries with no valid key). False reproduces the NaN-prone plain softmax, for the ablation.</summary>
    public bool SafeAttention { get; init; } = true;

    /// <summary>Fusion method.</summary>
    public FusionKind Fusion { get; init; } = FusionKind.CrossAttentionGated;

    /// <summary>Streams used.</summary>
    public ModalityUse Modalities { get; init; } = ModalityUse.Both;

    /// <summary>Per-branch auxiliary classifiers (trained with weight <see cref="AuxLossWeight"/>).</summary>
    public bool AuxiliaryHeads { get; init; } = true;

    /// <summary>Weight of each auxiliary head's loss.</summary>
    public double AuxLossWeight { get; init; } = 0.3;

    /// <summary>Add the face nets' own log-probabilities (face-api's, and the mini-Xception's where the features hold
    /// them), each with a learned weight, to the logits on frames with a face, so the model learns a residual over the
    /// pretrained nets (<see cref="FacePrior"/>). Needs a visual feature set that names those columns. Default off,
    /// which is also what models saved before it read as.</summary>
    public bool FacePrior { get; init; }

    /// <summary>Standardise each audio feature over the present frames of its window before the audio branch
    /// (<see cref="WindowStandardisation"/>): the per-utterance normalisation of cross-corpus speech emotion work, at
    /// the price of absolute level and pitch. Default off, which is also what models saved before it read as.</summary>
    public bool AudioWindowNorm { get; init; }

    /// <summary>Refer the level columns of the audio features (log energy, log-mel) to each window's loudest present
    /// frame before the audio branch (<see cref="WindowLevelReference"/>), so recording level and microphone gain do
    /// not shift them; pitch, spectral shape and the speech embedding stay as they are. Needs the prosody group.
    /// Default off, which is also what models saved before it read as.</summary>
    public bool AudioLevelReference { get; init; }

    /// <summary>The visual feature set the model was trained on (from the training data's meta; null in models that
    /// predate it, which then accept any features of the right width).</summary>
    public FeatureSetId? VisualFeatures { get; init; }

    /// <summary>The audio feature set the model was trained on (null as for <see cref="VisualFeatures"/>).</summary>
    public FeatureSetId? AudioFeatures { get; init; }

    /// <summary>Checks every value (feature widths of 0 mean "taken from the data"); a bad one is an
    /// <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Range("ModelOptions.VisualDim", VisualDim, 0, int.MaxValue);
        OptionCheck.Range("ModelOptions.AudioDim", AudioDim, 0, int.MaxValue);
        OptionCheck.Range("ModelOptions.Width", Width, 1, 65536);
        OptionCheck.Range("ModelOptions.Heads", Heads, 1, Width, "the width");
        if (Width % Heads != 0)
            throw OptionCheck.Fail("ModelOptions.Width", $"must be a multiple of the {Heads} attention heads, got {Width}");
        OptionCheck.Range("ModelOptions.SelfLayers", SelfLayers, 0, 64);
        OptionCheck.Range("ModelOptions.CrossLayers", CrossLayers, 0, 64);
        OptionCheck.Range("ModelOptions.FeedForward", FeedForward, 1, 1 << 20);
        OptionCheck.Range("ModelOptions.Dropout", Dropout, 0, 1, maxInclusive: false);
        OptionCheck.Range("ModelOptions.AttentionDropout", AttentionDropout, 0, 1, maxInclusive: false);
        OptionCheck.Range("ModelOptions.MaxLength", MaxLength, 1, 1 << 20);
        OptionCheck.Defined("ModelOptions.Fusion", Fusion);
        OptionCheck.Defined("ModelOptions.Modalities", Modalities);
        OptionCheck.Range("ModelOptions.AuxLossWeight", AuxLossWeight, 0, double.PositiveInfinity);
    }
}
