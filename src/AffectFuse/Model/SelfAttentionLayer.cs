using AffectFuse.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Pre-LN Transformer encoder layer whose self-attention is <see cref="SafeMultiheadAttention"/>.</summary>
internal sealed class SelfAttentionLayer : nn.Module<Tensor, KeyPaddingMask?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly SafeMultiheadAttention attn;
    private readonly LayerNorm norm2;
    private readonly FeedForward ffn;
    private readonly Dropout dropout;

    /// <summary>Creates the layer from the model options.</summary>
    public SelfAttentionLayer(ModelOptions options) : base("self_attention_layer")
    {
        norm1 = nn.LayerNorm(options.Width);
        attn = new SafeMultiheadAttention(options.Width, options.Heads, options.AttentionDropout, options.SafeAttention);
        norm2 = nn.LayerNorm(options.Width);
        ffn = new FeedForward(options.Width, options.FeedForward, options.Dropout);
        dropout = nn.Dropout(options.Dropout);
        RegisterComponents();
    }

    /// <summary>x [B,T,d]; keys masked by <paramref name="mask"/>.</summary>
    public override Tensor forward(Tensor x, KeyPaddingMask? mask)
    {
        var h = norm1.forward(x);
        x = x.add(dropout.forward(attn.forward(h, h, mask)), ScalarCache.One);
        return x.add(dropout.forward(ffn.forward(norm2.forward(x))), ScalarCache.One);
    }
}
