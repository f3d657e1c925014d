namespace AffectFuse.Faces.Nets;

/// <summary>TensorFlow's padding rule for one spatial dimension, so NHWC graphs can run on PyTorch's symmetric-padding kernels.</summary>
internal static class TfjsGraphModelPadding
{
    /// <summary>Padding before and after a dimension of <paramref name="size"/> for a window of <paramref name="kernel"/>
    /// (dilated by <paramref name="dilation"/>) moved by <paramref name="stride"/>. "SAME" gives <c>ceil(size/stride)</c>
    /// outputs and puts the odd extra pixel after (bottom/right), as TensorFlow does; PyTorch can only pad symmetrically,
    /// hence explicit padding when the two differ. "VALID" pads nothing.</summary>
    public static (long Before, long After) For(bool same, long size, long kernel, long stride, long dilation)
    {
        if (!same)
            return (0, 0);
        long effective = (kernel - 1) * dilation + 1;
        long outputs = (size + stride - 1) / stride;
        long total = Math.Max((outputs - 1) * stride + effective - size, 0);
        return (total / 2, total - total / 2);
    }
}
