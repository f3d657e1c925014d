using static AffectFuse.Faces.Nets.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's FaceExpressionNet written as an ONNX graph, layer for layer as the TorchSharp port
/// (<see cref="FaceExpressionNet"/>, <see cref="FaceFeatureExtractor"/>, <see cref="DenseBlock"/>) computes it, from the
/// same dequantised weights (taken through <see cref="FaceApiWeights"/>, so the layouts are converted in one place).
/// Input <see cref="InputName"/>: [N, 112, 112, 3] RGB in [0,255], NHWC as the TorchSharp net takes it (the transpose to
/// NCHW is the graph's first step, so callers fill the same buffers for either engine). Output <see cref="OutputName"/>:
/// [N, 263], the 7 probabilities then the 256-d bottleneck.</summary>
internal static class FaceExpressionGraph
{
    public const string InputName = "rgb";
    public const string OutputName = "features";

    private const int BlockCount = 4;
    private const int ConvsPerBlock = 4;

    /// <summary>Reads the manifest and returns the serialised model.</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static byte[] Build(string manifestPath)
    {
        var weights = FaceApiWeights.Read(manifestPath);
        var g = new OnnxGraphBuilder(nameof(FaceExpressionNet));
        int side = FaceExpressionNet.InputSize;
        string x = Normalise(g, g.Input(InputName, null, side, side, 3));
        long size = side;
        for (int i = 0; i < BlockCount; i++)
            (x, size) = Block(g, weights, $"dense{i}", x, size, isFirstLayer: i == 0);
        // 'valid' pooling over the whole 7×7 map leaves one position: the bottleneck vector.
        string pooled = g.Node("AveragePool", [x], Ints("kernel_shape", size, size), Ints("strides", 2, 2));
        string bottleneck = g.Node("Flatten", [pooled], Int("axis", 1));
        string probabilities = g.Node("Softmax", [Classifier(g, weights, manifestPath, bottleneck)], Int("axis", 1));
        weights.CheckAllUsed();
        g.Output(g.NamedNode("Concat", [probabilities, bottleneck], OutputName, Int("axis", 1)), null, FaceExpressionNet.FeatureSize);
        return g.ToBytes();
    }

    // face-api's (rgb − mean) / 255, in the same order and with Div (not a multiply by 1/255) so the values round alike.
    private static string Normalise(OnnxGraphBuilder g, string rgb)
    {
        string mean = g.Initializer("mean_rgb", FaceFeatureExtractor.MeanRgb.Select(v => (float)v).ToArray(), 3);
        string scale = g.Initializer("pixel_scale", [255f]);
        string centred = g.Node("Sub", [rgb, mean]);
        return g.Node("Transpose", [g.Node("Div", [centred, scale])], Ints("perm", 0, 3, 1, 2));
    }

    // DenseBlock.forward: sum = relu(conv0(x)); sum += conv_k(relu(sum)) for k = 1..3; relu(sum).
    private static (string Output, long Size) Block(OnnxGraphBuilder g, FaceApiWeights weights, string prefix, string x, long size, bool isFirstLayer)
    {
        string first = isFirstLayer
            ? Conv(g, weights, prefix + "/conv0/filters", prefix + "/conv0/bias", x, size, 2)
            : Separable(g, weights, prefix + "/conv0", x, size, 2);
        size = (size + 1) / 2; // TF 'same' at stride 2: ceil(size / 2)
        // conv0's ReLU makes the first sum non-negative already: the ReLU before conv1 would be a copy.
        string sum = g.Node("Relu", [first]);
        for (int k = 1; k < ConvsPerBlock; k++)
        {
            string input = k == 1 ? sum : g.Node("Relu", [sum]);
            sum = g.Node("Add", [sum, Separable(g, weights, $"{prefix}/conv{k}", input, size, 1)]);
        }
        return (g.Node("Relu", [sum]), size);
    }

    // TF separableConv2d + bias: the depthwise conv carries the stride, the bias rides on the pointwise conv.
    private static string Separable(OnnxGraphBuilder g, FaceApiWeights weights, string prefix, string x, long size, long stride)
    {
        var (depthwise, dims) = Take(weights.DepthwiseFilter(prefix + "/depthwise_filter"));
        string filter = g.Initializer(prefix + "/depthwise_filter", depthwise, dims);
        string spatial = g.Node("Conv", [x, filter], [.. SameConv(dims, size, stride), Int("group", dims[0])]);
        return Conv(g, weights, prefix + "/pointwise_filter", prefix + "/bias", spatial, (size + stride - 1) / stride, 1);
    }

    private static string Conv(OnnxGraphBuilder g, FaceApiWeights weights, string filterName, string biasName, string x, long size, long stride)
    {
        var (filter, filterDims) = Take(weights.ConvFilter(filterName));
        var (bias, biasDims) = Take(weights.Bias(biasName));
        return g.Node("Conv", [x, g.Initializer(filterName, filter, filterDims), g.Initializer(biasName, bias, biasDims)],
            SameConv(filterDims, size, stride));
    }

    // TF 'same' as explicit pads [top, left, bottom, right]: at stride 2 on an even size TF pads 0 before, 1 after.
    private static Onnx.AttributeProto[] SameConv(long[] filterDims, long size, long stride)
    {
        long kernel = filterDims[2];
        var (before, after) = TfjsGraphModelPadding.For(true, size, kernel, stride, 1);
        return [Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", before, before, after, after)];
    }

    // face-api's fullyConnectedLayer: x · W + b, W stored [out, in] after FcMatrix, hence transB.
    private static string Classifier(OnnxGraphBuilder g, FaceApiWeights weights, string manifestPath, string bottleneck)
    {
        var (matrix, matrixDims) = Take(weights.FcMatrix("fc/weights"));
        var (bias, biasDims) = Take(weights.Bias("fc/bias"));
        if (matrixDims[0] != FaceExpressionNet.ClassCount || matrixDims[1] != FaceExpressionNet.BottleneckSize || biasDims[0] != FaceExpressionNet.ClassCount)
            throw new AffectFuseException(manifestPath, $"fc is {matrixDims[1]} → {matrixDims[0]}; expected {FaceExpressionNet.BottleneckSize} → {FaceExpressionNet.ClassCount}");
        return g.Node("Gemm", [bottleneck, g.Initializer("fc/weights", matrix, matrixDims), g.Initializer("fc/bias", bias, biasDims)], Int("transB", 1));
    }

    private static (float[] Values, long[] Dims) Take(Tensor tensor)
    {
        using (tensor)
            return (tensor.data<float>().ToArray(), tensor.shape);
    }
}
