using AffectFuse.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>One direction of cross-modal attention: this branch's queries attend to the other branch's keys
/// (masked by the other branch's presence), then a feed-forward block; pre-LN with residuals.</summary>
internal sealed class CrossAttentionBlock : nn.Module<Tensor, Tensor, KeyPaddingMask?, Tensor>
{
    private readonly LayerNorm norm_q;
    private readonly LayerNorm norm_kv;
    private readonly SafeMultiheadAttention attn;
    private readonly LayerNorm norm_ff;
    private readonly FeedForward ffn;
    private readonly Dropout dropout;

    /// <summary>Creates the block from the model options.</summary>
    public CrossAttentionBlock(ModelOptions options) : base("cross_attention_block")
    {
        norm_q = nn.LayerNorm(options.Width);
        norm_kv = nn.LayerNorm(options.Width);
        attn = new SafeMultiheadAttention(options.Width, options.Heads, options.AttentionDropout, options.SafeAttention);
        norm_ff = nn.LayerNorm(options.Width);
        ffn = new FeedForward(options.Width, options.FeedForward, options.Dropout);
        dropout = nn.Dropout(options.Dropout);
        RegisterComponents();
    }

    /// <summary>x [B,T,d] queries, other [B,T,d] keys/values, mask over the other branch's frames.</summary>
    public override Tensor forward(Tensor x, Tensor other, KeyPaddingMask? otherMask)
    {
        // With no valid key the safe attention adds exactly zero, so x passes through the residual unchanged.
        x = x.add(dropout.forward(attn.forward(norm_q.forward(x), norm_kv.forward(other), otherMask)), ScalarCache.One);
        return x.add(dropout.forward(ffn.forward(norm_ff.forward(x))), ScalarCache.One);
    }
}
