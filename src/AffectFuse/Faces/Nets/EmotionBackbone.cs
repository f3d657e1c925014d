using AffectFuse.Setup;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Faces.Nets;

/// <summary>Visual features from <c>@vladmandic/human</c> 3.3.6's FER-2013 mini-Xception (oarriaga/face_classification),
/// run through <see cref="TfjsGraphModel"/>. Input: 64×64 grayscale face crops, pixel values in [0,255]. Output per face:
/// a row of <see cref="FeatureSize"/> = 263 floats laid out as
/// <list type="bullet">
/// <item>[0, 7): class probabilities, order <see cref="ClassNames"/> (angry, disgust, fear, happy, sad, surprise, neutral);</item>
/// <item>[7, 263): the 256 channels of <see cref="PooledNode"/> (the residual sum closing the last block, 8×8×256
/// for a 64×64 input, i.e. the input of the 3×3 classifier convolution) averaged over the 8×8 positions.</item>
/// </list>
/// Throughput is best with one libtorch thread per worker on a busy machine (<c>torch.set_num_threads(1)</c>):
/// OpenMP threads spin when cores are oversubscribed.</summary>
internal sealed class EmotionBackbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Extractor name for <see cref="Data.FeatureMeta.VisualFeatures"/>.</summary>
    public const string FeatureName = "human-emotion-minixception";

    /// <summary>Extractor version for <see cref="Data.FeatureMeta.VisualVersion"/> (the npm package's version).</summary>
    public const string FeatureVersion = "3.3.6";

    /// <summary>Side of the square gray input crop.</summary>
    public const int InputSize = 64;

    /// <summary>Number of expression classes the model predicts.</summary>
    public const int ClassCount = 7;

    /// <summary>Channels of the pooled intermediate activation.</summary>
    public const int PooledSize = 256;

    /// <summary>Dv: width of a feature row (probabilities, then pooled activation).</summary>
    public const int FeatureSize = ClassCount + PooledSize;

    /// <summary>The graph node whose spatial mean forms the last <see cref="PooledSize"/> features.</summary>
    public const string PooledNode = "StatefulPartitionedCall/model_1/add_2/add";

    /// <summary>Class order of the probabilities (human's <c>annotations</c> for this gray model).</summary>
    public static readonly IReadOnlyList<string> ClassNames = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    /// <summary>Column names of a feature row: <c>emotion_angry</c> … <c>emotion_neutral</c>, then <c>pool_000</c> … <c>pool_255</c>.</summary>
    public static readonly IReadOnlyList<string> FeatureNames =
        [.. ClassNames.Select(c => "emotion_" + c), .. Enumerable.Range(0, PooledSize).Select(i => $"pool_{i:000}")];

    /// <summary>Faces per forward pass in <see cref="Extract(ReadOnlySpan{float}, int)"/>.</summary>
    public int BatchSize { get; init; } = 64;

    private readonly TfjsGraphModel graph;

    /// <summary>Loads the model from a store (<see cref="ModelStore.EmotionGraph"/>).</summary>
    public static EmotionBackbone Open(ModelStore store) => new(TfjsGraphModel.Load(store.EmotionGraph));

    /// <summary>Wraps an imported emotion graph.</summary>
    public EmotionBackbone(TfjsGraphModel graph) : base(nameof(EmotionBackbone))
    {
        this.graph = graph;
        RegisterComponents();
        eval();
    }

    /// <summary>The preprocessing of human 3.3.6 <c>src/gear/emotion.ts</c> (gray branch): the face crop is in [0,1]
    /// (<c>facemeshutil.ts</c> divides by 255), resized bilinearly to 64×64, reduced to gray with weights
    /// 0.2989 R + 0.5870 G + 0.1140 B (<c>constants.rgb</c>), then <c>(gray − 0.5) × 2</c>, giving [−1, 1].
    /// Here the gray crop arrives in [0,255]: <c>(x / 255 − 0.5) × 2</c>.</summary>
    public static Tensor Normalize(Tensor grayPixels) => grayPixels.div(ScalarCache.Of(255.0)).sub_(ScalarCache.Of(0.5)).mul_(ScalarCache.Of(2.0));

    /// <summary>Gray [N,64,64] or [N,64,64,1] float32 pixels in [0,255] → features [N, <see cref="FeatureSize"/>].</summary>
    public override Tensor forward(Tensor grayPixels)
    {
        var x = grayPixels.dim() == 3 ? grayPixels.unsqueeze(-1) : grayPixels;
        var outputs = graph.Run(Normalize(x), graph.OutputName, PooledNode);
        return cat([outputs[0], outputs[1].mean([1, 2])], 1);
    }

    /// <summary>Features for <paramref name="count"/> gray 64×64 crops stored back to back (row-major, values in [0,255]);
    /// returns <c>count × FeatureSize</c> floats, row-major. Runs in batches under no_grad.</summary>
    public float[] Extract(ReadOnlySpan<float> grayPixels, int count)
    {
        CheckLength(grayPixels.Length, count);
        var result = new float[(long)count * FeatureSize];
        var batch = new float[Math.Min(BatchSize, Math.Max(count, 1)) * InputSize * InputSize];
        for (int start = 0; start < count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, count - start);
            grayPixels.Slice(start * InputSize * InputSize, n * InputSize * InputSize).CopyTo(batch);
            RunBatch(batch, n, result.AsSpan(start * FeatureSize, n * FeatureSize));
        }
        return result;
    }

    /// <summary>As <see cref="Extract(ReadOnlySpan{float}, int)"/>, for 8-bit gray crops.</summary>
    public float[] Extract(ReadOnlySpan<byte> grayPixels, int count)
    {
        CheckLength(grayPixels.Length, count);
        var result = new float[(long)count * FeatureSize];
        var batch = new float[Math.Min(BatchSize, Math.Max(count, 1)) * InputSize * InputSize];
        for (int start = 0; start < count; start += BatchSize)
        {
            int n = Math.Min(BatchSize, count - start);
            var source = grayPixels.Slice(start * InputSize * InputSize, n * InputSize * InputSize);
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(source, batch.AsSpan(0, source.Length));
            RunBatch(batch, n, result.AsSpan(start * FeatureSize, n * FeatureSize));
        }
        return result;
    }

    /// <summary>Human's RGB→gray reduction (weights 0.2989, 0.5870, 0.1140) for an interleaved RGB crop, into [0,255] gray.</summary>
    public static void RgbToGray(ReadOnlySpan<byte> rgb, Span<float> gray)
    {
        if (rgb.Length != 3 * gray.Length)
            throw new ArgumentException($"RGB has {rgb.Length} bytes, expected 3 × {gray.Length}");
        for (int i = 0; i < gray.Length; i++)
            gray[i] = 0.2989f * rgb[3 * i] + 0.5870f * rgb[3 * i + 1] + 0.1140f * rgb[3 * i + 2];
    }

    private void RunBatch(float[] batch, int n, Span<float> destination)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var input = from_array(batch).narrow(0, 0, (long)n * InputSize * InputSize).view(n, InputSize, InputSize, 1);
        using var features = forward(input).contiguous();
        features.data<float>().CopyTo(destination);
    }

    private static void CheckLength(int length, int count)
    {
        if (count < 0 || length != (long)count * InputSize * InputSize)
            throw new ArgumentException($"{length} pixels given for {count} crops of {InputSize}×{InputSize}");
    }
}
