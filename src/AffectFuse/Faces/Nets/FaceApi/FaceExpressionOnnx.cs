using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's FaceExpressionNet run in ONNX Runtime: the graph <see cref="FaceExpressionGraph"/> writes from the
/// weights manifest, loaded from memory (no model file), one intra-op thread like the project's other ONNX nets. Same
/// input and output as <see cref="FaceExpressionNet"/>: NHWC RGB crops in [0,255] → rows of
/// <see cref="FaceExpressionNet.FeatureSize"/> floats (probabilities, then the bottleneck). Run is thread-safe (ORT's is).</summary>
internal sealed class FaceExpressionOnnx : IDisposable
{
    private const int CropFloats = FaceExpressionNet.InputSize * FaceExpressionNet.InputSize * 3;

    private static readonly string[] InputNames = [FaceExpressionGraph.InputName];
    private static readonly string[] OutputNames = [FaceExpressionGraph.OutputName];

    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();

    /// <summary>The graph optimisation level the session was made with.</summary>
    public GraphOptimizationLevel Optimization { get; }

    /// <summary>Builds the net from a store's manifest (<see cref="ModelStore.FaceExpressionManifest"/>).</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceExpressionOnnx Open(ModelStore store, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        FromManifest(store.FaceExpressionManifest, optimization);

    /// <summary>Builds the net from the weights manifest at <paramref name="manifestPath"/>.</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceExpressionOnnx FromManifest(string manifestPath, GraphOptimizationLevel optimization = GraphOptimizationLevel.ORT_ENABLE_ALL) =>
        new(manifestPath, FaceExpressionGraph.Build(manifestPath), optimization);

    private FaceExpressionOnnx(string manifestPath, byte[] model, GraphOptimizationLevel optimization)
    {
        Optimization = optimization;
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = optimization,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            runOptions.Dispose();
            throw new AffectFuseException(manifestPath, $"the expression graph built from this manifest does not load: {e.Message.Split('\n')[0]}", e);
        }
    }

    /// <summary>Runs <paramref name="count"/> crops, the first <c>count × 112 × 112 × 3</c> floats of
    /// <paramref name="nhwc"/> (a longer, reused buffer is fine), and returns <c>count × 263</c> floats.</summary>
    public float[] Run(float[] nhwc, int count)
    {
        var features = new float[count * FaceExpressionNet.FeatureSize];
        Run(nhwc, count, features);
        return features;
    }

    /// <summary>As <see cref="Run(float[], int)"/>, writing into the first <c>count × 263</c> floats of
    /// <paramref name="features"/> instead of a new array.</summary>
    public void Run(float[] nhwc, int count, float[] features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (nhwc.Length < count * CropFloats)
            throw new ArgumentException($"{count} crops need {count * CropFloats} floats, got {nhwc.Length}", nameof(nhwc));
        if (features.Length < count * FaceExpressionNet.FeatureSize)
            throw new ArgumentException($"{count} rows need {count * FaceExpressionNet.FeatureSize} floats, got {features.Length}", nameof(features));
        int side = FaceExpressionNet.InputSize;
        // The values wrap the caller's arrays (pinned for the call): no copy in, none out.
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            nhwc.AsMemory(0, count * CropFloats), [count, side, side, 3]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            features.AsMemory(0, count * FaceExpressionNet.FeatureSize), [count, FaceExpressionNet.FeatureSize]);
        session.Run(runOptions, InputNames, [input], OutputNames, [output]);
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
