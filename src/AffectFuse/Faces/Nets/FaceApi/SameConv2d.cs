using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>The plain convolution that opens face-api's first dense block: <c>conv2d(x, filters, stride, 'same') + bias</c>.</summary>
internal sealed class SameConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long stride;

    /// <summary>Takes <c>{prefix}/filters</c> (HWIO) and <c>{prefix}/bias</c>.</summary>
    public SameConv2d(FaceApiWeights weights, string prefix, long stride) : base(prefix)
    {
        weight = new Parameter(weights.ConvFilter(prefix + "/filters"), requires_grad: false);
        bias = new Parameter(weights.Bias(prefix + "/bias"), requires_grad: false);
        this.stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (input, padding) = TfSamePadding.Apply(x, weight.shape[2], stride);
        return nn.functional.conv2d(input, weight, bias, [stride, stride], padding);
    }
}
