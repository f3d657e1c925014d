using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's recognition-net <c>residual</c> and <c>residualDown</c> (<c>residualLayer.ts</c>): two scaled 3×3
/// convs (the second without ReLU) added to a shortcut, then ReLU.</summary>
/// <remarks>The down variant follows face-api rather than dlib where they part: conv1 is stride 2 'valid', and the
/// shortcut is a 2×2 average pool with zero channels appended. A 'valid' stride-2 conv loses a row and column that the
/// pool keeps on 8×8 and 4×4 maps, so the conv path then gets one zero row at the bottom and one zero column at the
/// right before the sum, exactly as face-api pads it; anything else would shift every later activation.</remarks>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly ScaledConv conv1;
    private readonly ScaledConv conv2;
    private readonly bool down;

    /// <summary>Takes <c>{prefix}/conv1/…</c> and <c>{prefix}/conv2/…</c>. <paramref name="down"/>: residualDown (halves
    /// the map, may widen the channels); else the plain residual, which must keep its channel count.</summary>
    public ResidualBlock(FaceApiWeights weights, string manifestPath, string prefix, bool down) : base(prefix)
    {
        conv1 = down
            ? new ScaledConv(weights, manifestPath, prefix + "/conv1", stride: 2, same: false, relu: true)
            : new ScaledConv(weights, manifestPath, prefix + "/conv1", stride: 1, same: true, relu: true);
        conv2 = new ScaledConv(weights, manifestPath, prefix + "/conv2", stride: 1, same: true, relu: false);
        this.down = down;
        if (conv2.InChannels != conv1.OutChannels || conv2.OutChannels != conv1.OutChannels
            || (down ? conv1.OutChannels < conv1.InChannels : conv1.OutChannels != conv1.InChannels))
            throw new AffectFuseException(manifestPath,
                $"{prefix}: convs are {conv1.InChannels} → {conv1.OutChannels} → {conv2.InChannels} → {conv2.OutChannels} channels, which a {(down ? "residualDown" : "residual")} block cannot add to its input");
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels => conv1.InChannels;

    /// <summary>Output channels.</summary>
    public long OutChannels => conv2.OutChannels;

    public override Tensor forward(Tensor x)
    {
        var y = conv2.forward(conv1.forward(x));
        var shortcut = x;
        if (down)
        {
            shortcut = nn.functional.avg_pool2d(x, [2, 2], [2, 2]);
            long extra = y.shape[1] - shortcut.shape[1];
            if (extra > 0)
                shortcut = nn.functional.pad(shortcut, [0, 0, 0, 0, 0, extra]);
            long rows = shortcut.shape[2] - y.shape[2], cols = shortcut.shape[3] - y.shape[3];
            if (rows != 0 || cols != 0)
                y = nn.functional.pad(y, [0, cols, 0, rows]);
        }
        return y.add_(shortcut, ScalarCache.One).relu_();
    }
}
