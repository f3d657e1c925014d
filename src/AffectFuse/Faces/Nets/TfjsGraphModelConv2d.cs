using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets;

/// <summary>A TF <c>_FusedConv2D</c> (conv + BiasAdd [+ Relu]) or <c>DepthwiseConv2dNative</c> node on NCHW tensors,
/// with TensorFlow's padding rule.</summary>
internal sealed class TfjsGraphModelConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] strides;
    private readonly long[] dilations;
    private readonly long groups;
    private readonly bool same;
    private readonly bool relu;

    /// <param name="name">Node name (module name).</param>
    /// <param name="weightOihw">Filter already in PyTorch's [out, in/groups, kh, kw] layout.</param>
    /// <param name="bias">Per-output-channel bias, or null.</param>
    /// <param name="strides">[sh, sw].</param>
    /// <param name="dilations">[dh, dw].</param>
    /// <param name="groups">1 for a full convolution, the input channel count for a depthwise one.</param>
    /// <param name="same">TF "SAME" padding (else "VALID").</param>
    /// <param name="relu">Apply a fused ReLU.</param>
    public TfjsGraphModelConv2d(string name, Tensor weightOihw, Tensor? bias, long[] strides, long[] dilations, long groups, bool same, bool relu)
        : base(name)
    {
        weight = new Parameter(weightOihw.contiguous(), requires_grad: false);
        this.bias = bias is null ? null : new Parameter(bias.contiguous(), requires_grad: false);
        this.strides = strides;
        this.dilations = dilations;
        this.groups = groups;
        this.same = same;
        this.relu = relu;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (top, bottom) = TfjsGraphModelPadding.For(same, x.shape[2], weight.shape[2], strides[0], dilations[0]);
        var (left, right) = TfjsGraphModelPadding.For(same, x.shape[3], weight.shape[3], strides[1], dilations[1]);
        long[] padding = [top, left];
        if (top != bottom || left != right)
        {
            x = nn.functional.pad(x, [left, right, top, bottom]);
            padding = [0, 0];
        }
        var y = nn.functional.conv2d(x, weight, bias, strides, padding, dilations, groups);
        return relu ? y.relu_() : y;
    }
}
