using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>A key-padding mask prepared once per forward pass and shared by every attention layer that reads the same keys.</summary>
internal sealed class KeyPaddingMask
{
    // Finite, so a row whose keys are all masked still has a finite softmax (uniform weights) that RowScale then zeroes.
    // exp(-1e30 - max) underflows to exactly 0, so rows with at least one valid key are untouched.
    private const float MaskedBias = -1e30f;

    /// <summary>Valid keys, bool [B,Tk] (true = present).</summary>
    public Tensor Valid { get; }

    /// <summary>Additive score bias [B,1,1,Tk]: 0 for valid keys, a large finite negative number for masked ones.</summary>
    public Tensor AdditiveBias { get; }

    /// <summary>[B,1,1,1]: 1 where the sample has at least one valid key, else 0 (safe attention's output scale).</summary>
    public Tensor RowScale { get; }

    /// <summary>Prepares the mask; <paramref name="valid"/> is bool [B,Tk].</summary>
    public KeyPaddingMask(Tensor valid, ScalarType dtype = ScalarType.Float32)
    {
        if (valid.dtype != ScalarType.Bool || valid.dim() != 2)
            throw new ArgumentException($"key mask must be bool [B,Tk], got {valid.dtype} [{string.Join(",", valid.shape)}]", nameof(valid));
        Valid = valid;
        var b = valid.shape[0];
        var tk = valid.shape[1];
        AdditiveBias = torch.zeros(b, 1, 1, tk, dtype: dtype, device: valid.device)
            .masked_fill_(valid.logical_not().view(b, 1, 1, tk), ScalarCache.Of(MaskedBias));
        RowScale = valid.any(1).to(dtype).view(b, 1, 1, 1);
    }
}
