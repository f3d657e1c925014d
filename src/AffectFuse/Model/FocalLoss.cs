using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Multi-class focal loss FL = −α_y (1 − p_y)^γ log p_y, averaged over frames with label ≥ 0.</summary>
public sealed class FocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>α per class (length 8) and γ.</summary>
    public FocalLoss(float[] alpha, double gamma) : base("focal_loss") => RegisterComponents();

    /// <summary>logits [N,C], target [N] int64 (-1 ignored) → scalar.</summary>
    public override Tensor forward(Tensor logits, Tensor target) => throw new NotImplementedException("model helper");
}
