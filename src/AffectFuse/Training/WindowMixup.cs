using AffectFuse.Torch;
using MathNet.Numerics.Distributions;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>Mixup for training windows (Zhang et al., ICLR 2018): each window of a batch is blended with another window
/// of the same batch, its features λ : 1 − λ, and the loss scored λ against the first window's labels and 1 − λ
/// against the second's; λ ~ Beta(α, α), one draw per batch.</summary>
/// <remarks>A stream present in only one of the two windows at a frame keeps that window's features as they are: an absent
/// frame's stored zeros are no feature to blend towards. Draws come from a source of its own (reseeded each epoch, so a
/// resumed run draws what an uninterrupted one did), so a run without mixup draws exactly what it drew before this
/// existed. The Beta sampler is MathNet.Numerics'.</remarks>
internal sealed class WindowMixup(double alpha)
{
    private Random _random = new(0);

    /// <summary>Restarts the draws (called at the start of every epoch with a seed derived from the run's).</summary>
    public void Reseed(int seed) => _random = new Random(seed);

    /// <summary>The batch blended with a shuffled copy of itself. Tensors belong to the caller's dispose scope.</summary>
    public MixedWindows Mix(WindowBatch batch)
    {
        double lambda = Beta.Sample(_random, alpha, alpha);
        var order = Enumerable.Range(0, (int)batch.Visual.shape[0]).Select(i => (long)i).ToArray();
        _random.Shuffle(order);
        var index = tensor(order, device: batch.Visual.device);
        var weight = tensor(lambda, dtype: batch.Visual.dtype, device: batch.Visual.device);
        var (visual, visualMask, otherVisualMask) = Blend(batch.Visual, batch.VisualMask, index, weight);
        var (audio, audioMask, otherAudioMask) = Blend(batch.Audio, batch.AudioMask, index, weight);
        return new MixedWindows(visual, visualMask, audio, audioMask, lambda,
            new MixupSource(batch.Labels, batch.VisualMask, batch.AudioMask),
            new MixupSource(batch.Labels.index_select(0, index), otherVisualMask, otherAudioMask));
    }

    private static (Tensor Features, Tensor Mask, Tensor OtherMask) Blend(Tensor features, Tensor mask, Tensor index, Tensor weight)
    {
        var other = features.index_select(0, index);
        var otherMask = mask.index_select(0, index);
        // other + λ (features − other) = λ features + (1 − λ) other
        var blended = other.add(features.sub(other).mul_(weight), ScalarCache.One);
        var single = where(mask.unsqueeze(-1), features, other);
        var mixed = where(mask.logical_and(otherMask).unsqueeze(-1), blended, single);
        return (mixed, mask.logical_or(otherMask), otherMask);
    }
}

/// <summary>One of the two windows behind a mixed window: its labels and where its streams were present.</summary>
internal sealed record MixupSource(Tensor Labels, Tensor VisualMask, Tensor AudioMask);

/// <summary>Blended features and masks (present where either window's stream was), λ, and the two sources.</summary>
internal sealed record MixedWindows(Tensor Visual, Tensor VisualMask, Tensor Audio, Tensor AudioMask, double Lambda, MixupSource First, MixupSource Second)
{
    /// <summary>A batch as it is (λ = 1, both sources the batch's own), so that a step without mixup reads the same fields.</summary>
    public static MixedWindows Unmixed(WindowBatch batch)
    {
        var source = new MixupSource(batch.Labels, batch.VisualMask, batch.AudioMask);
        return new MixedWindows(batch.Visual, batch.VisualMask, batch.Audio, batch.AudioMask, 1, source, source);
    }
}
