using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Faces.Nets;

/// <summary>The mini-Xception of <see cref="EmotionBackbone"/> run in ONNX Runtime: the TF.js graph written as ONNX by
/// <see cref="TfjsGraphOnnx"/> (same parsed nodes and weights as the TorchSharp import), with EmotionBackbone's
/// normalisation in front and its feature row at the end, loaded from memory, one intra-op thread. Input: gray crops
/// [N, 64, 64] (NHWC with one channel) as floats in [0,255], exactly what EmotionBackbone.forward takes. Output: rows of
/// <see cref="EmotionBackbone.FeatureSize"/> floats (7 probabilities, then the 256 pooled channels). Run is thread-safe (ORT's is).</summary>
internal sealed class EmotionBackboneOnnx : IDisposable
{
    /// <summary>Name of the graph input (gray pixels in [0,255], [N, 64, 64, 1]).</summary>
    public const string InputName = "gray";

    /// <summary>Name of the graph output ([N, 263]).</summary>
    public const string OutputName = "features";

    private const int Side = EmotionBackbone.InputSize;
    private const int Width = EmotionBackbone.FeatureSize;

    private readonly OnnxBatchNet net;

    /// <summary>The graph optimisation level the session was made with.</summary>
    public GraphOptimizationLevel Optimization => net.Optimization;

    /// <summary>Builds the net from a store's graph model (<see cref="ModelStore.EmotionGraph"/>).</summary>
    /// <exception cref="AffectFuseException">The model files are missing, damaged, or use an op the ONNX writer lacks.</exception>
    public static EmotionBackboneOnnx Open(ModelStore store, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        FromModel(store.EmotionGraph, optimization);

    /// <summary>Builds the net from the TF.js <c>model.json</c> at <paramref name="modelJsonPath"/>.</summary>
    /// <exception cref="AffectFuseException">The model files are missing, damaged, or use an op the ONNX writer lacks.</exception>
    public static EmotionBackboneOnnx FromModel(string modelJsonPath, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        new(modelJsonPath, Build(TfjsGraphModelFile.Load(modelJsonPath)), optimization);

    /// <summary>The serialised ONNX model: gray [N,64,64,1] in [0,255] → EmotionBackbone's [N, 263] rows.</summary>
    public static byte[] Build(TfjsGraphModelFile file)
    {
        var g = new OnnxGraphBuilder(nameof(EmotionBackbone));
        string gray = g.Input(InputName, null, Side, Side, 1);
        // EmotionBackbone.Normalize, op for op (divide, subtract, multiply) so the values round alike: (x/255 − 0.5) × 2.
        string scaled = g.Node("Div", [gray, g.Initializer("pixel_scale", [255f])]);
        string centred = g.Node("Sub", [scaled, g.Initializer("pixel_centre", [0.5f])]);
        string normalised = g.Node("Mul", [centred, g.Initializer("pixel_gain", [2f])]);
        var net = TfjsGraphOnnx.Write(g, file, normalised, [-1, Side, Side, 1]);
        string probabilities = net.Fetch(net.OutputName);
        // EmotionBackbone.forward's outputs[1].mean([1, 2]) of the NHWC activation: the mean over height and width.
        string pooled = net.SpatialMean(EmotionBackbone.PooledNode);
        g.Output(g.NamedNode("Concat", [probabilities, pooled], OutputName, OnnxGraphBuilder.Int("axis", 1)), null, Width);
        return g.ToBytes();
    }

    private EmotionBackboneOnnx(string modelJsonPath, byte[] model, GraphOptimizationLevel optimization) =>
        net = new OnnxBatchNet(model, modelJsonPath, "the ONNX graph written from this model", optimization, InputName, [Side, Side, 1], OutputName, Width);

    /// <summary>Runs <paramref name="count"/> gray crops, the first <c>count × 64 × 64</c> floats of
    /// <paramref name="gray"/> (values in [0,255]; a longer, reused buffer is fine), and returns <c>count × 263</c> floats.</summary>
    public float[] Run(float[] gray, int count) => net.Run(gray, count);

    /// <summary>As <see cref="Run(float[], int)"/>, writing into the first <c>count × 263</c> floats of
    /// <paramref name="features"/> instead of a new array.</summary>
    public void Run(float[] gray, int count, float[] features) => net.Run(gray, count, features);

    public void Dispose() => net.Dispose();
}
