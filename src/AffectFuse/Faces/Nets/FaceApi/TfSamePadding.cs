using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>TensorFlow's 'same' padding for the square-kernel convolutions of face-api's nets (NCHW tensors).</summary>
internal static class TfSamePadding
{
    /// <summary>Returns the input to convolve and the symmetric padding to give conv2d. When TF's split is uneven
    /// (a 3×3 kernel at stride 2 on an even size pads 0 before and 1 after) PyTorch's symmetric padding would shift
    /// every output sample by a pixel, so the input is padded explicitly and conv2d pads nothing.</summary>
    public static (Tensor Input, long[] Padding) Apply(Tensor x, long kernel, long stride)
    {
        var (top, bottom) = TfjsGraphModelPadding.For(true, x.shape[2], kernel, stride, 1);
        var (left, right) = TfjsGraphModelPadding.For(true, x.shape[3], kernel, stride, 1);
        if (top == bottom && left == right)
            return (x, [top, left]);
        return (nn.functional.pad(x, [left, right, top, bottom]), [0, 0]);
    }
}
