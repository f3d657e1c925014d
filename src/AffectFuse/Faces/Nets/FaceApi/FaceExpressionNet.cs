using AffectFuse.Setup;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api 1.7.15's <c>FaceExpressionNet</c> in TorchSharp: the full <c>FaceFeatureExtractor</c> (four dense
/// blocks, 256-d bottleneck) and a 256 → 7 fully connected layer with softmax. Input: square 112×112 RGB face crops,
/// pixel values in [0,255]. Output per face: a row of <see cref="FeatureSize"/> = 263 floats,
/// <list type="bullet">
/// <item>[0, 7): class probabilities, order <see cref="ClassNames"/> (face-api's <c>FaceExpressions</c> order);</item>
/// <item>[7, 263): the 256-d average-pooled bottleneck the classifier reads.</item>
/// </list>
/// Matches face-api on TF.js's cpu backend to float rounding (see FaceApiTests).</summary>
internal sealed class FaceExpressionNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Extractor name for <see cref="Data.FeatureMeta.VisualFeatures"/>.</summary>
    public const string FeatureName = "faceapi-expression";

    /// <summary>Extractor version for <see cref="Data.FeatureMeta.VisualVersion"/> (the npm package's version).</summary>
    public const string FeatureVersion = "1.7.15";

    /// <summary>Side of the square RGB input crop.</summary>
    public const int InputSize = FaceFeatureExtractor.InputSize;

    /// <summary>Number of expression classes the model predicts.</summary>
    public const int ClassCount = 7;

    /// <summary>Width of the average-pooled bottleneck the classifier reads.</summary>
    public const int BottleneckSize = 256;

    /// <summary>Width of a feature row (probabilities, then bottleneck).</summary>
    public const int FeatureSize = ClassCount + BottleneckSize;

    /// <summary>Class order of the probabilities (face-api <c>FaceExpressions.ts</c>).</summary>
    public static readonly IReadOnlyList<string> ClassNames = ["neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"];

    /// <summary>Column names of a feature row: <c>faceapi_neutral</c> … <c>faceapi_surprised</c>, then <c>faceapi_feat_000</c> … <c>faceapi_feat_255</c>.</summary>
    public static readonly IReadOnlyList<string> FeatureNames =
        [.. ClassNames.Select(c => "faceapi_" + c), .. Enumerable.Range(0, BottleneckSize).Select(i => $"faceapi_feat_{i:000}")];

    private readonly FaceFeatureExtractor extractor;
    private readonly FullyConnected fc;

    /// <summary>Loads the net from a store (<see cref="ModelStore.FaceExpressionManifest"/>).</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceExpressionNet Open(ModelStore store) => new(store.FaceExpressionManifest);

    private FaceExpressionNet(string manifestPath) : base(nameof(FaceExpressionNet))
    {
        var weights = FaceApiWeights.Read(manifestPath);
        extractor = new FaceFeatureExtractor(weights, tiny: false);
        fc = new FullyConnected(weights, manifestPath, BottleneckSize, ClassCount);
        weights.CheckAllUsed();
        RegisterComponents();
        eval();
    }

    /// <summary>RGB crops [N, 112, 112, 3] (NHWC, float32 pixel values in [0,255], already square and resized) →
    /// features [N, <see cref="FeatureSize"/>]: softmax probabilities, then the bottleneck. Normalises as face-api does,
    /// <c>(rgb − [122.782, 117.001, 104.298]) / 255</c>. Runs without autograd; intermediates are freed on return.</summary>
    public override Tensor forward(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var bottleneck = extractor.forward(rgb);
        return cat([fc.forward(bottleneck).softmax(1), bottleneck], 1).MoveToOuterDisposeScope();
    }
}
