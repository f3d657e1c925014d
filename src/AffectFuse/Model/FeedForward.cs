using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Position-wise feed-forward block: Linear → GELU → dropout → Linear.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;

    /// <summary>d → hidden → d.</summary>
    public FeedForward(long width, long hidden, double dropout) : base("feed_forward")
    {
        fc1 = nn.Linear(width, hidden);
        fc2 = nn.Linear(hidden, width);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    /// <summary>[…,d] → […,d].</summary>
    public override Tensor forward(Tensor x) => fc2.forward(dropout.forward(nn.functional.gelu(fc1.forward(x))));
}
