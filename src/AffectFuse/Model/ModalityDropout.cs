using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Training-only modality dropout on the presence masks: drops whole streams (never both) and occlusion spans.</summary>
public sealed class ModalityDropout : nn.Module<Tensor, Tensor, (Tensor Visual, Tensor Audio)>
{
    /// <summary>Creates the module; <paramref name="generator"/> makes the drops reproducible.</summary>
    public ModalityDropout(ModalityDropoutOptions options, Generator? generator = null) : base("modality_dropout") => RegisterComponents();

    /// <summary>mv [B,T] bool, ma [B,T] bool → masks with drops applied (unchanged in eval mode).</summary>
    public override (Tensor Visual, Tensor Audio) forward(Tensor visualMask, Tensor audioMask) => throw new NotImplementedException("model helper");
}
