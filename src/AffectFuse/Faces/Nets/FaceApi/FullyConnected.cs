using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's <c>fullyConnectedLayer</c>: <c>x · fc/weights + fc/bias</c>, the classifier on the bottleneck.</summary>
internal sealed class FullyConnected : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Takes <c>fc/weights</c> ([in, out]) and <c>fc/bias</c>, checking they fit <paramref name="inputs"/> → <paramref name="outputs"/>.</summary>
    public FullyConnected(FaceApiWeights weights, string manifestPath, int inputs, int outputs) : base("fc")
    {
        weight = new Parameter(weights.FcMatrix("fc/weights"), requires_grad: false);
        bias = new Parameter(weights.Bias("fc/bias"), requires_grad: false);
        if (weight.shape[0] != outputs || weight.shape[1] != inputs || bias.shape[0] != outputs)
            throw new AffectFuseException(manifestPath, $"fc is {weight.shape[1]} → {weight.shape[0]}; expected {inputs} → {outputs}");
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);
}
