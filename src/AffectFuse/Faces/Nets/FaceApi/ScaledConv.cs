using AffectFuse.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's recognition-net <c>convLayer</c>: <c>conv2d + bias</c>, then the per-channel affine that stands in
/// for dlib's batch norm (<c>x · scale/weights + scale/biases</c>), then an optional ReLU.</summary>
/// <remarks>The affine is kept as its own step rather than folded into the filters: folding would round differently
/// from TF.js, and the parity fixture is what tells a layout mistake from rounding.</remarks>
internal sealed class ScaledConv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor scale;
    private readonly Tensor shift;
    private readonly long stride;
    private readonly bool same;
    private readonly bool relu;

    /// <summary>Takes <c>{prefix}/conv/filters</c> (HWIO), <c>{prefix}/conv/bias</c>, <c>{prefix}/scale/weights</c> and
    /// <c>{prefix}/scale/biases</c>. <paramref name="same"/>: TF 'same' padding (face-api's stride-1 convs), else 'valid'
    /// (its stride-2 ones).</summary>
    public ScaledConv(FaceApiWeights weights, string manifestPath, string prefix, long stride, bool same, bool relu) : base(prefix)
    {
        weight = new Parameter(weights.ConvFilter(prefix + "/conv/filters"), requires_grad: false);
        bias = new Parameter(weights.Bias(prefix + "/conv/bias"), requires_grad: false);
        using var w = weights.Bias(prefix + "/scale/weights");
        using var b = weights.Bias(prefix + "/scale/biases");
        long channels = weight.shape[0];
        if (bias.shape[0] != channels || w.shape[0] != channels || b.shape[0] != channels)
            throw new AffectFuseException(manifestPath,
                $"{prefix}: filters give {channels} channels but bias/scale have {bias.shape[0]}/{w.shape[0]}/{b.shape[0]}");
        // Buffers shaped to broadcast over NCHW.
        scale = w.reshape(1, channels, 1, 1).contiguous();
        shift = b.reshape(1, channels, 1, 1).contiguous();
        this.stride = stride;
        this.same = same;
        this.relu = relu;
        RegisterComponents();
    }

    /// <summary>Input channels the filters expect.</summary>
    public long InChannels => weight.shape[1];

    /// <summary>Output channels.</summary>
    public long OutChannels => weight.shape[0];

    public override Tensor forward(Tensor x)
    {
        Tensor y;
        if (same)
        {
            var (input, padding) = TfSamePadding.Apply(x, weight.shape[2], stride);
            y = nn.functional.conv2d(input, weight, bias, [stride, stride], padding);
        }
        else
        {
            y = nn.functional.conv2d(x, weight, bias, [stride, stride]);
        }
        y.mul_(scale).add_(shift, ScalarCache.One);
        return relu ? y.relu_() : y;
    }
}
