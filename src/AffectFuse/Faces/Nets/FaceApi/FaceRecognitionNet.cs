using AffectFuse.Setup;
using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>face-api 1.7.15's <c>FaceRecognitionNet</c> in TorchSharp: the dlib-style ResNet (29 conv layers) whose
/// 128-d output tells faces apart by Euclidean distance (face-api's same-person threshold is 0.6). It lets AffectFuse
/// keep one identity per person across a clip without a second inference runtime, and matches face-api on TF.js's cpu
/// backend to float rounding (see FaceRecognitionNetTests), so descriptors from either side can be compared.</summary>
/// <remarks>Input is a 150×150 RGB crop, as face-api hands it: it does not align the face first, so neither does this.
/// The descriptor is not normalised to unit length (face-api leaves it as the fc gives it).</remarks>
internal sealed class FaceRecognitionNet : nn.Module<Tensor, Tensor>
{
    /// <summary>Side of the square RGB input crop (face-api's <c>toBatchTensor(150)</c>).</summary>
    public const int InputSize = 150;

    /// <summary>Width of a descriptor.</summary>
    public const int DescriptorSize = 128;

    /// <summary>face-api's mean RGB for this net (the same as its feature extractors'), subtracted before dividing by 255.</summary>
    public static IReadOnlyList<double> MeanRgb => FaceFeatureExtractor.MeanRgb;

    private const int Channels = 256;

    // face-api's order; the name says the block's width and whether it halves the map.
    private static readonly string[] BlockNames =
    [
        "conv32_1", "conv32_2", "conv32_3",
        "conv64_down", "conv64_1", "conv64_2", "conv64_3",
        "conv128_down", "conv128_1", "conv128_2",
        "conv256_down", "conv256_1", "conv256_2", "conv256_down_out",
    ];

    private readonly ScaledConv stem;
    private readonly TorchSharp.Modules.ModuleList<ResidualBlock> blocks;
    private readonly TorchSharp.Modules.Parameter fc;
    private readonly Tensor mean;

    /// <summary>Loads the net from a store (<see cref="ModelStore.FaceRecognitionManifest"/>).</summary>
    /// <exception cref="AffectFuseException">The weight files are missing, damaged, or do not fit this network.</exception>
    public static FaceRecognitionNet Open(ModelStore store) => new(store.FaceRecognitionManifest);

    private FaceRecognitionNet(string manifestPath) : base(nameof(FaceRecognitionNet))
    {
        var weights = FaceApiWeights.Read(manifestPath);
        stem = new ScaledConv(weights, manifestPath, "conv32_down", stride: 2, same: false, relu: true);
        if (stem.InChannels != 3)
            throw new AffectFuseException(manifestPath, $"conv32_down takes {stem.InChannels} channels; expected 3 (RGB)");
        var list = new List<ResidualBlock>();
        long width = stem.OutChannels;
        foreach (string name in BlockNames)
        {
            var block = new ResidualBlock(weights, manifestPath, name, down: name.Contains("_down", StringComparison.Ordinal));
            if (block.InChannels != width)
                throw new AffectFuseException(manifestPath, $"{name} takes {block.InChannels} channels but gets {width}");
            width = block.OutChannels;
            list.Add(block);
        }
        blocks = new TorchSharp.Modules.ModuleList<ResidualBlock>([.. list]);
        // TF's fc is [256, 128] for x · fc; FcMatrix gives linear's [out, in].
        fc = new TorchSharp.Modules.Parameter(weights.FcMatrix("fc"), requires_grad: false);
        if (width != Channels || fc.shape[0] != DescriptorSize || fc.shape[1] != Channels)
            throw new AffectFuseException(manifestPath,
                $"the blocks end with {width} channels and fc is {fc.shape[1]} → {fc.shape[0]}; expected {Channels} → {Channels} → {DescriptorSize}");
        weights.CheckAllUsed();
        mean = tensor(MeanRgb.Select(v => (float)v).ToArray(), [1, 3, 1, 1]);
        RegisterComponents();
        eval();
    }

    /// <summary>RGB crops [N, 3, 150, 150] (NCHW, float32 pixel values in [0,255]) → descriptors [N, 128]. Normalises as
    /// face-api does, <c>(rgb − mean) / 255</c>. Runs without autograd; intermediates are freed on return.</summary>
    public override Tensor forward(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != 3 || rgb.shape[2] != InputSize || rgb.shape[3] != InputSize)
            throw new ArgumentException($"expected RGB crops [N,3,{InputSize},{InputSize}], got [{string.Join(",", rgb.shape)}]", nameof(rgb));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = rgb.to_type(ScalarType.Float32).sub(mean).div_(ScalarCache.Of(255.0));
        // 150 → 72, max pool → 35, then the blocks: 35 → 17 → 8 → 4 → 2 (see ResidualBlock for the padding).
        x = nn.functional.max_pool2d(stem.forward(x), [3, 3], [2, 2]);
        foreach (var block in blocks)
            x = block.forward(x);
        return nn.functional.linear(x.mean([2, 3]), fc).MoveToOuterDisposeScope();
    }

    /// <summary>Descriptors of <paramref name="count"/> 150×150 RGB crops packed back to back in
    /// <paramref name="rgbCrops"/> (each row-major height × width × RGB, as an OpenCV Mat's data after BGR → RGB):
    /// <paramref name="count"/> × 128 floats, face after face. Takes bytes so callers need no tensors of their own.</summary>
    /// <exception cref="ArgumentException"><paramref name="rgbCrops"/> does not hold exactly <paramref name="count"/> crops.</exception>
    public float[] Describe(byte[] rgbCrops, int count)
    {
        ArgumentNullException.ThrowIfNull(rgbCrops);
        const int cropBytes = InputSize * InputSize * 3;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (rgbCrops.LongLength != (long)count * cropBytes)
            throw new ArgumentException($"expected {count} crops of {InputSize}×{InputSize}×3 bytes ({(long)count * cropBytes}), got {rgbCrops.LongLength} bytes", nameof(rgbCrops));
        if (count == 0) return [];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var nchw = tensor(rgbCrops, [count, InputSize, InputSize, 3]).permute(0, 3, 1, 2).to_type(ScalarType.Float32).contiguous();
        return forward(nchw).data<float>().ToArray();
    }
}
