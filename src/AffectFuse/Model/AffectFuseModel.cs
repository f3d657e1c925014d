using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Per-frame logits of the fused head and, when enabled, of each branch's auxiliary head.</summary>
public sealed record ModelOutputs(Tensor Fused, Tensor? Visual, Tensor? Audio);

/// <summary>The dual-branch Transformer with safe cross-attention and gated fusion.</summary>
public sealed class AffectFuseModel : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>The architecture.</summary>
    public ModelOptions Options { get; }

    /// <summary>Builds the model.</summary>
    public AffectFuseModel(ModelOptions options) : base("affectfuse")
    {
        Options = options;
        RegisterComponents();
    }

    /// <summary>v [B,T,Dv], mv [B,T] bool, a [B,T,Da], ma [B,T] bool → fused logits [B,T,8].</summary>
    public override Tensor forward(Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask)
        => ForwardAll(visual, visualMask, audio, audioMask).Fused;

    /// <summary>All heads' logits.</summary>
    public ModelOutputs ForwardAll(Tensor visual, Tensor visualMask, Tensor audio, Tensor audioMask)
        => throw new NotImplementedException("model helper");
}
