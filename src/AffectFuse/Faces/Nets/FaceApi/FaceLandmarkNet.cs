using AffectFuse.Setup;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api 1.7.15's 68-point landmark nets in TorchSharp: <c>FaceLandmark68Net</c> (full extractor, 256-d
/// bottleneck) or <c>FaceLandmark68TinyNet</c> (tiny extractor: three 3-conv dense blocks, 128-d bottleneck), each with
/// a fully connected layer to 136 outputs. Input: square 112×112 RGB face crops, pixel values in [0,255]; output per
/// face: x0, y0, x1, y1, … for the 68 points (iBUG 300-W order) as fractions of the crop side.</summary>
internal sealed class FaceLandmarkNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Number of landmarks (the output has twice as many values).</summary>
    public const int PointCount = 68;

    /// <summary>Side of the square RGB input crop.</summary>
    public const int InputSize = FaceFeatureExtractor.InputSize;

    private readonly FaceFeatureExtractor extractor;
    private readonly FullyConnected fc;

    /// <summary>Loads the full net (<see cref="ModelStore.FaceLandmarkManifest"/>) or, when <paramref name="tiny"/>,
    /// the tiny one (<see cref="ModelStore.FaceLandmarkTinyManifest"/>: about a fifth of the weights and compute).</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceLandmarkNet Open(ModelStore store, bool tiny = false) =>
        new(tiny ? store.FaceLandmarkTinyManifest : store.FaceLandmarkManifest, tiny);

    private FaceLandmarkNet(string manifestPath, bool tiny) : base(tiny ? "FaceLandmark68TinyNet" : "FaceLandmark68Net")
    {
        var weights = FaceApiWeights.Read(manifestPath);
        extractor = new FaceFeatureExtractor(weights, tiny);
        fc = new FullyConnected(weights, manifestPath, extractor.Channels, 2 * PointCount);
        weights.CheckAllUsed();
        RegisterComponents();
        eval();
    }

    /// <summary>RGB crops [N, 112, 112, 3] (NHWC, float32 pixel values in [0,255], already square and resized) →
    /// [N, 136] = x0, y0, x1, y1, … as fractions of the crop side: face-api's fc output, which is what its
    /// <c>postProcess</c> gives for a square input divided by the input size. Normalises as face-api does. Runs
    /// without autograd; intermediates are freed on return.</summary>
    public override Tensor forward(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return fc.forward(extractor.forward(rgb)).MoveToOuterDisposeScope();
    }
}
