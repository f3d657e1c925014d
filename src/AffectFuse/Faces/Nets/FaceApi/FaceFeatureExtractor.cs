using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api's face feature extractors, the backbone the expression and landmark nets share the design of:
/// <list type="bullet">
/// <item>full (<c>FaceFeatureExtractor.ts</c>): four 4-conv dense blocks, 112 → 56 → 28 → 14 → 7 with 32, 64, 128, 256
/// channels, then <c>avgPool(7×7, stride 2, 'valid')</c> → 256 features;</item>
/// <item>tiny (<c>TinyFaceFeatureExtractor.ts</c>): three 3-conv dense blocks, 112 → 56 → 28 → 14 with 32, 64, 128
/// channels, then <c>avgPool(14×14, stride 2, 'valid')</c> → 128 features.</item>
/// </list>
/// Input: [N, 112, 112, 3] RGB in [0,255] (NHWC, as face-api takes it); output: [N, channels].</summary>
internal sealed class FaceFeatureExtractor : nn.Module<Tensor, Tensor>
{
    /// <summary>Side of the square input crop (face-api's <c>toBatchTensor(112)</c>).</summary>
    public const int InputSize = 112;

    /// <summary>face-api's mean RGB (<c>meanRgb</c> in both extractors), subtracted before dividing by 255.</summary>
    public static readonly IReadOnlyList<double> MeanRgb = [122.782, 117.001, 104.298];

    private readonly TorchSharp.Modules.ModuleList<DenseBlock> blocks;
    private readonly long poolSize;
    private readonly Tensor mean;

    /// <summary>Output width: 256 (full) or 128 (tiny).</summary>
    public int Channels { get; }

    /// <summary>Builds the full (<paramref name="tiny"/> false) or tiny extractor from the manifest's <c>dense*</c> tensors.</summary>
    public FaceFeatureExtractor(FaceApiWeights weights, bool tiny) : base(tiny ? "TinyFaceFeatureExtractor" : "FaceFeatureExtractor")
    {
        int blockCount = tiny ? 3 : 4;
        blocks = new TorchSharp.Modules.ModuleList<DenseBlock>(
            [.. Enumerable.Range(0, blockCount).Select(i => new DenseBlock(weights, $"dense{i}", convCount: tiny ? 3 : 4, isFirstLayer: i == 0))]);
        poolSize = tiny ? 14 : 7;
        Channels = tiny ? 128 : 256;
        // A buffer, not a Parameter: a constant of the preprocessing that moves with the module.
        mean = tensor(MeanRgb.Select(v => (float)v).ToArray(), [1, 3, 1, 1]);
        RegisterComponents();
    }

    public override Tensor forward(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != InputSize || rgb.shape[2] != InputSize || rgb.shape[3] != 3)
            throw new ArgumentException($"expected RGB crops [N,{InputSize},{InputSize},3], got [{string.Join(",", rgb.shape)}]", nameof(rgb));
        // NHWC → NCHW for libtorch's kernels; normalize as face-api: (x − mean) / 255.
        var x = rgb.to_type(ScalarType.Float32).permute(0, 3, 1, 2).sub(mean).div_(ScalarCache.Of(255.0));
        foreach (var block in blocks)
            x = block.forward(x);
        // 'valid' pooling over the whole final map (7×7 or 14×14) leaves one position: the bottleneck vector.
        return nn.functional.avg_pool2d(x, [poolSize, poolSize], [2, 2]).flatten(1);
    }
}
