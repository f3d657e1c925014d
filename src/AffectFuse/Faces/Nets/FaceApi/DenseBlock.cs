using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's <c>denseBlock3</c> / <c>denseBlock4</c>: conv0 (stride 2; a plain conv in the network's first
/// block, else depthwise-separable) then 2 or 3 stride-1 depthwise-separable convs, each fed the ReLU of the sum of all
/// outputs so far (conv0's after its ReLU); the block returns the ReLU of the sum of all of them.</summary>
internal sealed class DenseBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> conv0;
    private readonly TorchSharp.Modules.ModuleList<DepthwiseSeparableConv> convs;

    /// <param name="weights">The manifest; takes <c>{prefix}/conv0</c> … <c>{prefix}/conv{convCount-1}</c>.</param>
    /// <param name="prefix">"dense0", "dense1", …</param>
    /// <param name="convCount">3 (denseBlock3, tiny extractor) or 4 (denseBlock4).</param>
    /// <param name="isFirstLayer">conv0 is a plain 3×3 conv (the RGB input has too few channels for a separable one).</param>
    public DenseBlock(FaceApiWeights weights, string prefix, int convCount, bool isFirstLayer) : base(prefix)
    {
        if (convCount is not (3 or 4))
            throw new ArgumentOutOfRangeException(nameof(convCount), convCount, "face-api's dense blocks have 3 or 4 convolutions");
        conv0 = isFirstLayer
            ? new SameConv2d(weights, prefix + "/conv0", stride: 2)
            : new DepthwiseSeparableConv(weights, prefix + "/conv0", stride: 2);
        convs = new TorchSharp.Modules.ModuleList<DepthwiseSeparableConv>(
            [.. Enumerable.Range(1, convCount - 1).Select(i => new DepthwiseSeparableConv(weights, $"{prefix}/conv{i}", stride: 1))]);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // sum = out1 + out2 + … ; TF adds right to left (out1 + (out2 + (out3 + out4))), float sums in another
        // order differ only in the last bits, well inside the parity bar.
        var sum = conv0.forward(x).relu_();
        foreach (var conv in convs)
        {
            using var input = sum.relu();
            sum = sum.add(conv.forward(input), ScalarCache.One);
        }
        return sum.relu_();
    }
}
