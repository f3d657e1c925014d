using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Benchmarks;

/// <summary>What a user would write instead of our model: input projection, a stack of TorchSharp's stock
/// <c>nn.TransformerEncoderLayer</c> (post-LN, ReLU, sequence-first) with a key-padding mask, and a per-frame head.</summary>
public sealed class ModelBenchmarkStockStack : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear input_proj;
    private readonly ModuleList<TransformerEncoderLayer> layers;
    private readonly Linear head;

    /// <summary>Creates the stack.</summary>
    public ModelBenchmarkStockStack(long inputDim, long width, long heads, long feedForward, int depth, double dropout) : base("stock_stack")
    {
        input_proj = nn.Linear(inputDim, width);
        layers = nn.ModuleList(Enumerable.Range(0, depth).Select(_ => nn.TransformerEncoderLayer(width, heads, feedForward, dropout)).ToArray());
        head = nn.Linear(width, ExpressionClasses.Count);
        RegisterComponents();
    }

    /// <summary>x [B,T,D], present [B,T] bool → logits [B,T,8]. Unlike our model it yields NaN for a window with no valid frame.</summary>
    public override Tensor forward(Tensor x, Tensor present)
    {
        var h = input_proj.forward(x).transpose(0, 1);
        var ignore = present.logical_not();
        foreach (var layer in layers)
            h = layer.call(h, null, ignore);
        return head.forward(h.transpose(0, 1));
    }
}
