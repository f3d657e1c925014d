using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Standardises each feature over the present frames of its window (mean 0, standard deviation 1), the
/// per-utterance normalisation that cross-corpus speech-emotion work uses against differences of speaker, level and
/// channel. Done inside the model, so training and every inference path see the same inputs.</summary>
internal static class WindowStandardisation
{
    private const double Epsilon = 1e-5;

    /// <summary>x [B,T,D], present [B,T] bool → x standardised over the present frames of each window; absent frames
    /// become 0 (the branch replaces them with its missing token anyway).</summary>
    public static Tensor Apply(Tensor x, Tensor present)
    {
        var weight = present.unsqueeze(-1).to(x.dtype);
        var clean = x.masked_fill(present.logical_not().unsqueeze(-1), ScalarCache.Of(0.0));
        var count = weight.sum(1, keepdim: true).clamp_min(ScalarCache.Of(1.0));
        var mean = clean.sum(1, keepdim: true) / count;
        var centred = clean.sub(mean) * weight;
        var variance = centred.square().sum(1, keepdim: true) / count;
        return centred / variance.add(ScalarCache.Of(Epsilon), ScalarCache.One).sqrt();
    }
}
