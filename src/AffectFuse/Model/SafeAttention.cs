using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>Scaled dot-product attention with a key-padding mask that never produces NaN.</summary>
/// <remarks>
/// A query whose keys are all masked (a window with no face, or no audio) gets exactly zero output and zero, finite
/// gradients: the mask is a finite additive bias, so such a row's softmax is uniform instead of 0/0, and the row is then
/// multiplied by zero. Rows with at least one valid key equal ordinary masked attention. The heavy work stays in
/// libtorch's fused <c>scaled_dot_product_attention</c>; the fix costs one broadcast multiply.
/// </remarks>
internal static class SafeAttention
{
    /// <summary>q [B,H,Tq,Dh], k/v [B,H,Tk,Dh]; mask over keys or null → [B,H,Tq,Dh].</summary>
    /// <param name="query">[B,H,Tq,Dh].</param>
    /// <param name="key">[B,H,Tk,Dh].</param>
    /// <param name="value">[B,H,Tk,Dh].</param>
    /// <param name="mask">Key-padding mask prepared once per forward pass, or null for no masking.</param>
    /// <param name="safe">False gives the plain masked softmax (−∞ fill), which yields NaN on all-masked rows — kept only for the ablation.</param>
    /// <param name="dropout">Dropout probability on the attention weights (pass 0 in eval mode).</param>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value, KeyPaddingMask? mask, bool safe = true, double dropout = 0.0)
    {
        if (mask is null)
            return nn.functional.scaled_dot_product_attention(query, key, value, null, dropout);
        if (!safe)
            return PlainMaskedSoftmax(query, key, value, mask, dropout);
        var output = nn.functional.scaled_dot_product_attention(query, key, value, mask.AdditiveBias, dropout);
        // Out of place: the fused kernel saves its output for backward.
        return output.mul(mask.RowScale);
    }

    /// <summary>Convenience overload taking a bool [B,Tk] mask (true = valid) or null.</summary>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value, Tensor? keyMask, bool safe = true, double dropout = 0.0)
        => Compute(query, key, value, keyMask is null ? null : new KeyPaddingMask(keyMask, query.dtype), safe, dropout);

    // The textbook formulation: −∞ on masked keys, softmax, weighted sum. An all-masked row is softmax(−∞…−∞) = NaN.
    private static Tensor PlainMaskedSoftmax(Tensor query, Tensor key, Tensor value, KeyPaddingMask mask, double dropout)
    {
        var b = mask.Valid.shape[0];
        var tk = mask.Valid.shape[1];
        var scale = 1.0 / Math.Sqrt(query.shape[^1]);
        var scores = torch.matmul(query, key.transpose(-2, -1)).mul_(ScalarCache.Of(scale));
        scores = scores.masked_fill(mask.Valid.logical_not().view(b, 1, 1, tk), ScalarCache.Of(double.NegativeInfinity));
        var weights = scores.softmax(-1);
        if (dropout > 0)
            weights = nn.functional.dropout(weights, dropout, training: true);
        return torch.matmul(weights, value);
    }
}
