using AffectFuse.Model;
using AffectFuse.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

/// <summary>Small model options and fixed inputs shared by the model tests.</summary>
internal static class ModelTestInputs
{
    public static ModelOptions Small(ModelOptions? with = null) => (with ?? new ModelOptions()) with
    {
        VisualDim = 6,
        AudioDim = 5,
        Width = 16,
        Heads = 2,
        SelfLayers = 1,
        CrossLayers = 1,
        FeedForward = 24,
        MaxLength = 64,
    };

    /// <summary>Training options that fit <see cref="Small"/> (windows within its maximum length), as a checkpoint must
    /// hold to load.</summary>
    public static AffectFuse.Training.TrainOptions Training => new()
    {
        Window = 64, Stride = 32, Validation = new AffectFuse.Inference.InferenceOptions { Window = 64, Stride = 16 },
    };

    /// <summary>Batch of 4 windows of 10 frames: 0 = everything present, 1 = scattered gaps in both streams,
    /// 2 = no face at all, 3 = no audio at all.</summary>
    public static (Tensor V, Tensor Mv, Tensor A, Tensor Ma) Batch(ModelOptions options, long seed = 7, long t = 10)
    {
        var g = new Generator((ulong)seed);
        var v = torch.randn([4, t, options.VisualDim], generator: g);
        var a = torch.randn([4, t, options.AudioDim], generator: g);
        var mv = torch.ones([4, t], dtype: ScalarType.Bool);
        var ma = torch.ones([4, t], dtype: ScalarType.Bool);
        mv[1, TensorIndex.Slice(2, 5)] = torch.tensor(false);
        ma[1, TensorIndex.Slice(6, 9)] = torch.tensor(false);
        ma[1, 0] = torch.tensor(false);
        mv[2] = torch.zeros(t, dtype: ScalarType.Bool);
        ma[3] = torch.zeros(t, dtype: ScalarType.Bool);
        // Absent frames carry garbage, as a careless extractor might write.
        v[2] = torch.full([t, options.VisualDim], float.NaN);
        return (v, mv, a, ma);
    }

    /// <summary>Moves every parameter away from its initial value (LayerNorm gains/biases included) so tests exercise them.</summary>
    public static void Perturb(nn.Module model, long seed = 11)
    {
        var g = new Generator((ulong)seed);
        using var _ = torch.no_grad();
        foreach (var (_, p) in model.named_parameters())
            // Explicit Scalars from the cache: the implicit ones TorchSharp makes for `* 0.1` and add_'s alpha can be
            // finalized while libtorch reads them ("Expected false to be true" from Scalar::toFloat, seen here in CI).
            p.add_(torch.randn(p.shape, generator: g).mul_(ScalarCache.Of(0.1)), ScalarCache.One);
    }
}
