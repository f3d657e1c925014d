using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's <c>depthwiseSeparableConv</c>: TF <c>separableConv2d(x, depthwise, pointwise, stride, 'same')</c>
/// (a 3×3 depthwise conv carrying the stride, then a 1×1 pointwise conv) plus a bias; no activation.</summary>
internal sealed class DepthwiseSeparableConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter depthwise;
    private readonly Parameter pointwise;
    private readonly Parameter bias;
    private readonly long stride;

    /// <summary>Takes <c>{prefix}/depthwise_filter</c>, <c>{prefix}/pointwise_filter</c> and <c>{prefix}/bias</c>.</summary>
    public DepthwiseSeparableConv(FaceApiWeights weights, string prefix, long stride) : base(prefix)
    {
        depthwise = new Parameter(weights.DepthwiseFilter(prefix + "/depthwise_filter"), requires_grad: false);
        pointwise = new Parameter(weights.ConvFilter(prefix + "/pointwise_filter"), requires_grad: false);
        bias = new Parameter(weights.Bias(prefix + "/bias"), requires_grad: false);
        this.stride = stride;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (input, padding) = TfSamePadding.Apply(x, depthwise.shape[2], stride);
        using var spatial = nn.functional.conv2d(input, depthwise, null, [stride, stride], padding, groups: depthwise.shape[0]);
        // TF adds the bias after the pointwise conv; folding it into that conv is the same sum.
        return nn.functional.conv2d(spatial, pointwise, bias);
    }
}
