using AffectFuse.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Fixed sinusoidal positional encoding (Vaswani et al. 2017), added to [B,T,d].</summary>
internal sealed class PositionalEncoding : nn.Module<Tensor, Tensor>
{
    private readonly Tensor table;

    /// <summary>Supports windows up to <paramref name="maxLength"/> frames.</summary>
    public PositionalEncoding(long width, long maxLength) : base("positional_encoding")
    {
        table = Build(width, maxLength);
        // Recomputed from the options on load, so not part of the state dict (checkpoints and exports stay weights-only).
        register_buffer("table", table, persistent: false);
        RegisterComponents();
    }

    /// <summary>PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(…); <paramref name="width"/> must be even.</summary>
    public static Tensor Build(long width, long maxLength)
    {
        if (width % 2 != 0)
            throw new ArgumentException($"positional encoding needs an even width, got {width}");
        // Cached Scalars: an implicit one can be finalized while libtorch still reads it, and arange then returns an
        // undefined tensor (seen once in CI as "no tensor arguments … aten::as_strided" from the unsqueeze below).
        var position = torch.arange(ScalarCache.OfInteger(maxLength), dtype: ScalarType.Float32).unsqueeze(1);
        var frequency = torch.exp(torch.arange(ScalarCache.OfInteger(0), ScalarCache.OfInteger(width), ScalarCache.OfInteger(2), dtype: ScalarType.Float32)
            .mul(ScalarCache.Of(-Math.Log(10000.0) / width)));
        var angle = position * frequency;
        return torch.stack([torch.sin(angle), torch.cos(angle)], -1).view(maxLength, width);
    }

    /// <summary>x [B,T,d] → x + PE[:T].</summary>
    public override Tensor forward(Tensor x)
    {
        var t = x.shape[1];
        if (t > table.shape[0])
            throw new ArgumentException($"window of {t} frames exceeds the positional encoding's maximum of {table.shape[0]}");
        return x.add(table.narrow(0, 0, t), ScalarCache.One);
    }
}
