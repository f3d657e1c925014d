using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Ablation baseline: concatenate the two branch states (each zeroed where its modality is absent) and project back to d.</summary>
internal sealed class ConcatFusion : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear proj;

    /// <summary>Creates the projection 2d → d.</summary>
    public ConcatFusion(long width) : base("concat_fusion")
    {
        proj = nn.Linear(2 * width, width);
        RegisterComponents();
    }

    /// <summary>h_v, h_a [B,T,d], m_v, m_a [B,T] bool → fused [B,T,d].</summary>
    public override Tensor forward(Tensor visual, Tensor visualPresent, Tensor audio, Tensor audioPresent)
    {
        var v = visual * visualPresent.unsqueeze(-1).to(visual.dtype);
        var a = audio * audioPresent.unsqueeze(-1).to(audio.dtype);
        return nn.functional.gelu(proj.forward(torch.cat([v, a], -1)));
    }
}
