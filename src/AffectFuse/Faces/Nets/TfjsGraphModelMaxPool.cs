using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets;

/// <summary>A TF <c>MaxPool</c> node on NCHW tensors. TensorFlow's "SAME" windows ignore positions outside the input,
/// which equals padding with −∞; asymmetric padding is applied explicitly.</summary>
internal sealed class TfjsGraphModelMaxPool : nn.Module<Tensor, Tensor>
{
    private readonly long[] kernel;
    private readonly long[] strides;
    private readonly bool same;

    /// <param name="name">Node name (module name).</param>
    /// <param name="kernel">[kh, kw].</param>
    /// <param name="strides">[sh, sw].</param>
    /// <param name="same">TF "SAME" padding (else "VALID").</param>
    public TfjsGraphModelMaxPool(string name, long[] kernel, long[] strides, bool same) : base(name)
    {
        this.kernel = kernel;
        this.strides = strides;
        this.same = same;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var (top, bottom) = TfjsGraphModelPadding.For(same, x.shape[2], kernel[0], strides[0], 1);
        var (left, right) = TfjsGraphModelPadding.For(same, x.shape[3], kernel[1], strides[1], 1);
        // PyTorch pads with −∞ itself, but only symmetrically and by at most half the window.
        if (top == bottom && left == right && 2 * top <= kernel[0] && 2 * left <= kernel[1])
            return nn.functional.max_pool2d(x, kernel, strides, [top, left]);
        x = nn.functional.pad(x, [left, right, top, bottom], value: double.NegativeInfinity);
        return nn.functional.max_pool2d(x, kernel, strides);
    }
}
