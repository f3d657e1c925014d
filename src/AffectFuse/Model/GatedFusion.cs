using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>Mask-aware per-frame gate: two gate logits from [h_v, h_a, m_v, m_a]; a branch absent at a frame gets weight
/// exactly 0 (the gate falls to the other). Where both are absent the learned gate blends the two context-only branch states.</summary>
internal sealed class GatedFusion : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear gate;

    /// <summary>Creates the gate for branch width d.</summary>
    public GatedFusion(long width) : base("gated_fusion")
    {
        gate = nn.Linear(2 * width + 2, 2);
        RegisterComponents();
    }

    /// <summary>h_v, h_a [B,T,d], m_v, m_a [B,T] bool → fused [B,T,d].</summary>
    public override Tensor forward(Tensor visual, Tensor visualPresent, Tensor audio, Tensor audioPresent)
    {
        var mv = visualPresent.unsqueeze(-1);
        var ma = audioPresent.unsqueeze(-1);
        var logits = gate.forward(torch.cat([visual, audio, mv.to(visual.dtype), ma.to(visual.dtype)], -1));
        // Each frame keeps at least one allowed branch, so the softmax never sees an all −∞ row.
        var neither = mv.logical_or(ma).logical_not();
        var allowed = torch.cat([mv.logical_or(neither), ma.logical_or(neither)], -1);
        var weights = logits.masked_fill(allowed.logical_not(), ScalarCache.Of(double.NegativeInfinity)).softmax(-1);
        return (visual * weights.narrow(-1, 0, 1)).add(audio * weights.narrow(-1, 1, 1), ScalarCache.One);
    }
}
