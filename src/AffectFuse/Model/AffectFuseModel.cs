using AffectFuse.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Per-frame logits of the fused head and, when enabled, of each branch's auxiliary head.</summary>
internal sealed record ModelOutputs(Tensor Fused, Tensor? Visual, Tensor? Audio);

/// <summary>The dual-branch Transformer with safe cross-attention and gated fusion.</summary>
/// <remarks>Submodule names follow PyTorch conventions so the state dict maps 1:1 onto <c>bench/reference_model.py</c>.</remarks>
internal sealed class AffectFuseModel : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly BranchEncoder? visual;
    private readonly BranchEncoder? audio;
    private readonly ModuleList<CrossModalLayer>? cross;
    private readonly LayerNorm? visual_norm;
    private readonly LayerNorm? audio_norm;
    private readonly nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>? fusion;
    private readonly Linear head;
    private readonly Linear? visual_head;
    private readonly Linear? audio_head;
    private readonly FacePrior? face_prior;
    private readonly WindowLevelReference? levelReference;

    /// <summary>The architecture.</summary>
    public ModelOptions Options { get; }

    /// <summary>The face prior, when the model adds one (asked for, and the visual branch is in use).</summary>
    internal FacePrior? Prior => face_prior;

    /// <summary>Whether this model refers the audio to each window's level (asked for, and the audio branch is in use).</summary>
    internal bool HasLevelReference => levelReference is not null;

    /// <summary>Builds the model.</summary>
    public AffectFuseModel(ModelOptions options) : base("affectfuse")
    {
        Validate(options);
        Options = options;
        bool useVisual = options.Modalities != ModalityUse.AudioOnly;
        bool useAudio = options.Modalities != ModalityUse.VisualOnly;
        if (useVisual)
        {
            visual = new BranchEncoder(options.VisualDim, options);
            visual_norm = nn.LayerNorm(options.Width);
        }
        if (useAudio)
        {
            audio = new BranchEncoder(options.AudioDim, options);
            audio_norm = nn.LayerNorm(options.Width);
        }
        if (useVisual && useAudio)
        {
            if (options.Fusion == FusionKind.CrossAttentionGated)
            {
                cross = nn.ModuleList(Enumerable.Range(0, options.CrossLayers).Select(_ => new CrossModalLayer(options)).ToArray());
                fusion = new GatedFusion(options.Width);
            }
            else
            {
                fusion = new ConcatFusion(options.Width);
            }
            if (options.AuxiliaryHeads)
            {
                visual_head = nn.Linear(options.Width, ExpressionClasses.Count);
                audio_head = nn.Linear(options.Width, ExpressionClasses.Count);
            }
        }
        head = nn.Linear(options.Width, ExpressionClasses.Count);
        if (options.FacePrior && useVisual)
            face_prior = new FacePrior(options.VisualFeatures);
        if (options.AudioLevelReference && useAudio)
            levelReference = new WindowLevelReference(options.AudioFeatures);
        RegisterComponents();
    }

    /// <summary>v [B,T,Dv], mv [B,T] bool, a [B,T,Da], ma [B,T] bool → fused logits [B,T,8].</summary>
    public override Tensor forward(Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask)
        => ForwardAll(visual, visualMask, audio, audioMask).Fused;

    /// <summary>All heads' logits. A stream the options do not use is ignored (its tensors are only shape-checked loosely).</summary>
    public ModelOutputs ForwardAll(Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask)
    {
        if (this.visual is not null)
            CheckInput("visual", visual, visualMask, Options.VisualDim);
        if (this.audio is not null)
            CheckInput("audio", audio, audioMask, Options.AudioDim);

        if (levelReference is not null)
            audio = levelReference.Apply(audio, audioMask);
        if (Options.AudioWindowNorm && this.audio is not null)
            audio = WindowStandardisation.Apply(audio, audioMask);
        if (this.audio is null)
        {
            var only = visual_norm!.forward(this.visual!.forward(visual, visualMask, new KeyPaddingMask(visualMask, visual.dtype)));
            return new ModelOutputs(WithPrior(head.forward(only), visual, visualMask), null, null);
        }
        if (this.visual is null)
        {
            var only = audio_norm!.forward(this.audio.forward(audio, audioMask, new KeyPaddingMask(audioMask, audio.dtype)));
            return new ModelOutputs(head.forward(only), null, null);
        }

        if (visual.shape[0] != audio.shape[0] || visual.shape[1] != audio.shape[1])
            throw new ArgumentException($"visual [{string.Join(",", visual.shape)}] and audio [{string.Join(",", audio.shape)}] must share batch and time");
        // Built once and shared by every layer that attends to the same keys.
        var visualKeys = new KeyPaddingMask(visualMask, visual.dtype);
        var audioKeys = new KeyPaddingMask(audioMask, audio.dtype);
        var hv = this.visual.forward(visual, visualMask, visualKeys);
        var ha = this.audio.forward(audio, audioMask, audioKeys);
        if (cross is not null)
            foreach (var layer in cross)
                (hv, ha) = layer.forward(hv, visualKeys, ha, audioKeys);
        hv = visual_norm!.forward(hv);
        ha = audio_norm!.forward(ha);
        var fused = WithPrior(head.forward(fusion!.forward(hv, visualMask, ha, audioMask)), visual, visualMask);
        return new ModelOutputs(fused, visual_head?.forward(hv), audio_head?.forward(ha));
    }

    private Tensor WithPrior(Tensor logits, Tensor visual, Tensor visualMask)
        => face_prior is null ? logits : logits.add(face_prior.forward(visual, visualMask), ScalarCache.One);

    private static void CheckInput(string name, Tensor features, Tensor mask, int dim)
    {
        if (features.dim() != 3 || features.shape[2] != dim)
            throw new ArgumentException($"{name} features must be [B,T,{dim}], got [{string.Join(",", features.shape)}]");
        if (mask.dtype != ScalarType.Bool || mask.dim() != 2 || mask.shape[0] != features.shape[0] || mask.shape[1] != features.shape[1])
            throw new ArgumentException($"{name} mask must be bool [{features.shape[0]},{features.shape[1]}], got {mask.dtype} [{string.Join(",", mask.shape)}]");
    }

    private static void Validate(ModelOptions o)
    {
        var problems = new List<string>();
        if (o.Modalities != ModalityUse.AudioOnly && o.VisualDim <= 0) problems.Add($"VisualDim must be positive (got {o.VisualDim})");
        if (o.Modalities != ModalityUse.VisualOnly && o.AudioDim <= 0) problems.Add($"AudioDim must be positive (got {o.AudioDim})");
        if (o.Width <= 0 || o.Width % 2 != 0) problems.Add($"Width must be positive and even (got {o.Width})");
        if (o.Heads <= 0 || o.Width % Math.Max(o.Heads, 1) != 0) problems.Add($"Width {o.Width} must be divisible by Heads {o.Heads}");
        if (o.SelfLayers < 0 || o.CrossLayers < 0) problems.Add("layer counts must not be negative");
        if (o.FeedForward <= 0) problems.Add($"FeedForward must be positive (got {o.FeedForward})");
        if (o.Dropout is < 0 or >= 1) problems.Add($"Dropout must be in [0,1) (got {o.Dropout})");
        if (o.AttentionDropout is < 0 or >= 1) problems.Add($"AttentionDropout must be in [0,1) (got {o.AttentionDropout})");
        if (o.MaxLength <= 0) problems.Add($"MaxLength must be positive (got {o.MaxLength})");
        if (problems.Count > 0)
            throw new ArgumentException("invalid model options: " + string.Join("; ", problems));
    }
}
