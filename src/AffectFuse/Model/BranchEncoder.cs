using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>One modality's encoder: LayerNorm → Linear to width d → learned missing token at absent frames →
/// positional encoding → pre-LN self-attention layers whose keys are the present frames.</summary>
internal sealed class BranchEncoder : nn.Module<Tensor, Tensor, KeyPaddingMask?, Tensor>
{
    private readonly LayerNorm input_norm;
    private readonly Linear input_proj;
    private readonly Parameter missing_token;
    private readonly PositionalEncoding positional;
    private readonly ModuleList<SelfAttentionLayer> layers;

    /// <summary>Creates the encoder for features of width <paramref name="inputDim"/>.</summary>
    public BranchEncoder(long inputDim, ModelOptions options) : base("branch_encoder")
    {
        input_norm = nn.LayerNorm(inputDim);
        input_proj = nn.Linear(inputDim, options.Width);
        missing_token = nn.Parameter(torch.randn(options.Width).mul_(ScalarCache.Of(0.02)));
        positional = new PositionalEncoding(options.Width, options.MaxLength);
        layers = nn.ModuleList(Enumerable.Range(0, options.SelfLayers).Select(_ => new SelfAttentionLayer(options)).ToArray());
        RegisterComponents();
    }

    /// <summary>x [B,T,D] features, present [B,T] bool, <paramref name="mask"/> the same presence prepared for attention → [B,T,d].</summary>
    public override Tensor forward(Tensor x, Tensor present, KeyPaddingMask? mask)
    {
        var keep = present.unsqueeze(-1);
        // Absent frames may hold anything (zeros, NaN): zero them first so nothing non-finite reaches the weight gradients.
        var h = input_proj.forward(input_norm.forward(x.masked_fill(keep.logical_not(), ScalarCache.Of(0.0))));
        h = torch.where(keep, h, missing_token);
        h = positional.forward(h);
        foreach (var layer in layers)
            h = layer.forward(h, mask);
        return h;
    }
}
