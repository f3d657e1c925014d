using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Multi-head attention over <see cref="SafeAttention"/>, with PyTorch's parameter layout
/// (<c>in_proj_weight</c> [3d,d], <c>in_proj_bias</c>, <c>out_proj</c>).</summary>
/// <remarks>All heads run in one batched call; self-attention uses one fused Q/K/V projection, cross-attention one Q and one
/// fused K/V projection taken from row slices of the same weight.</remarks>
internal sealed class SafeMultiheadAttention : nn.Module<Tensor, Tensor, KeyPaddingMask?, Tensor>
{
    private readonly Parameter in_proj_weight;
    private readonly Parameter in_proj_bias;
    private readonly Linear out_proj;
    private readonly long width;
    private readonly long heads;
    private readonly double dropout;
    private readonly bool safe;

    /// <summary>Creates the layer; <paramref name="width"/> must be divisible by <paramref name="heads"/>.</summary>
    public SafeMultiheadAttention(long width, long heads, double dropout, bool safe) : base("safe_mha")
    {
        if (heads <= 0 || width % heads != 0)
            throw new ArgumentException($"width {width} is not divisible by {heads} heads");
        this.width = width;
        this.heads = heads;
        this.dropout = dropout;
        this.safe = safe;
        in_proj_weight = nn.Parameter(torch.empty(3 * width, width));
        in_proj_bias = nn.Parameter(torch.zeros(3 * width));
        out_proj = nn.Linear(width, width);
        nn.init.xavier_uniform_(in_proj_weight);
        using (torch.no_grad())
            out_proj.bias!.zero_();
        RegisterComponents();
    }

    /// <summary>query [B,Tq,d], context [B,Tk,d] (pass the same tensor for self-attention), mask over context keys → [B,Tq,d].</summary>
    public override Tensor forward(Tensor query, Tensor context, KeyPaddingMask? mask)
    {
        long b = query.shape[0], tq = query.shape[1], tk = context.shape[1];
        long dh = width / heads;
        Tensor q, k, v;
        if (ReferenceEquals(query, context))
        {
            // [B,T,3d] → [3,B,H,T,Dh]: one matmul for all three projections, views only.
            var qkv = nn.functional.linear(query, in_proj_weight, in_proj_bias)
                .view(b, tq, 3, heads, dh).permute(2, 0, 3, 1, 4);
            q = qkv[0]; k = qkv[1]; v = qkv[2];
        }
        else
        {
            q = nn.functional.linear(query, in_proj_weight.narrow(0, 0, width), in_proj_bias.narrow(0, 0, width))
                .view(b, tq, heads, dh).transpose(1, 2);
            var kv = nn.functional.linear(context, in_proj_weight.narrow(0, width, 2 * width), in_proj_bias.narrow(0, width, 2 * width))
                .view(b, tk, 2, heads, dh).permute(2, 0, 3, 1, 4);
            k = kv[0]; v = kv[1];
        }
        var attended = SafeAttention.Compute(q, k, v, mask, safe, training ? dropout : 0.0);
        return out_proj.forward(attended.transpose(1, 2).reshape(b, tq, width));
    }
}
