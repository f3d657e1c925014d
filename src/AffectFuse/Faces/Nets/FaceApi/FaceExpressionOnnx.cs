using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's FaceExpressionNet run in ONNX Runtime: the graph <see cref="FaceExpressionGraph"/> writes from the
/// weights manifest, loaded from memory (no model file), one intra-op thread like the project's other ONNX nets. Same
/// input and output as <see cref="FaceExpressionNet"/>: NHWC RGB crops in [0,255] → rows of
/// <see cref="FaceExpressionNet.FeatureSize"/> floats (probabilities, then the bottleneck). Run is thread-safe (ORT's is).</summary>
internal sealed class FaceExpressionOnnx : IDisposable
{
    private readonly OnnxBatchNet net;

    /// <summary>The graph optimisation level the session was made with.</summary>
    public GraphOptimizationLevel Optimization => net.Optimization;

    /// <summary>Builds the net from a store's manifest (<see cref="ModelStore.FaceExpressionManifest"/>).</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceExpressionOnnx Open(ModelStore store, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        FromManifest(store.FaceExpressionManifest, optimization);

    /// <summary>Builds the net from the weights manifest at <paramref name="manifestPath"/>.</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceExpressionOnnx FromManifest(string manifestPath, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        new(manifestPath, FaceExpressionGraph.Build(manifestPath), optimization);

    private FaceExpressionOnnx(string manifestPath, byte[] model, GraphOptimizationLevel optimization) =>
        net = new OnnxBatchNet(model, manifestPath, "the expression graph built from this manifest", optimization, FaceExpressionGraph.InputName,
            [FaceExpressionNet.InputSize, FaceExpressionNet.InputSize, 3], FaceExpressionGraph.OutputName, FaceExpressionNet.FeatureSize);

    /// <summary>Runs <paramref name="count"/> crops, the first <c>count × 112 × 112 × 3</c> floats of
    /// <paramref name="nhwc"/> (a longer, reused buffer is fine), and returns <c>count × 263</c> floats.</summary>
    public float[] Run(float[] nhwc, int count) => net.Run(nhwc, count);

    /// <summary>As <see cref="Run(float[], int)"/>, writing into the first <c>count × 263</c> floats of
    /// <paramref name="features"/> instead of a new array.</summary>
    public void Run(float[] nhwc, int count, float[] features) => net.Run(nhwc, count, features);

    public void Dispose() => net.Dispose();
}
