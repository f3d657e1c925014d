using AffectFuse.Training;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Training;

public class WindowMixupTests
{
    private const int Windows = 6, Frames = 5, Width = 3;

    // Window k: every feature k + 1, label k; the last two frames of window 0 have no face and window 1 no sound.
    private static WindowBatch Batch()
    {
        var features = arange(1, Windows + 1, dtype: ScalarType.Float32).reshape(Windows, 1, 1).expand(Windows, Frames, Width).contiguous();
        var visualMask = ones(Windows, Frames, dtype: ScalarType.Bool);
        visualMask[0, TensorIndex.Slice(Frames - 2)] = tensor(false);
        var audioMask = ones(Windows, Frames, dtype: ScalarType.Bool);
        audioMask[1] = tensor(false);
        var labels = arange(Windows, dtype: ScalarType.Int64).reshape(Windows, 1).expand(Windows, Frames).contiguous();
        return new WindowBatch(features.clone(), visualMask, features.clone(), audioMask, labels);
    }

    // Mixes batch with a mixup of α 0.4 reseeded to seed; returns the mix and the window each was blended with.
    private static (MixedWindows Mixed, long[] Second) Mix(WindowBatch batch, int seed)
    {
        var mixup = new WindowMixup(0.4);
        mixup.Reseed(seed);
        var mixed = mixup.Mix(batch);
        return (mixed, mixed.Second.Labels[.., 0].data<long>().ToArray());
    }

    [Fact]
    public void EachWindowIsBlendedWithTheWindowWhoseLabelsItTakesSecond()
    {
        using var batch = Batch();
        var (mixed, second) = Mix(batch, 7);
        Assert.InRange(mixed.Lambda, 0, 1);
        var first = mixed.First.Labels[.., 0].data<long>().ToArray();
        Assert.Equal(Enumerable.Range(0, Windows).Select(i => (long)i), first);
        Assert.Equal(Enumerable.Range(0, Windows).Select(i => (long)i), second.Order()); // a permutation of the batch
        // Frame 0 has a face in every window, so every pair blends there.
        for (int i = 0; i < Windows; i++)
            Assert.Equal(0, Check(mixed.Visual, mixed.VisualMask, batch.VisualMask, i, (int)second[i], 0, mixed.Lambda));
    }

    [Fact]
    public void AStreamPresentInOnlyOneWindowKeepsThatWindowsFeatures()
    {
        using var batch = Batch();
        var (mixed, second) = Mix(batch, 3);
        int oneSided = 0;
        for (int i = 0; i < Windows; i++)
        {
            int j = (int)second[i];
            oneSided += Check(mixed.Visual, mixed.VisualMask, batch.VisualMask, i, j, Frames - 1, mixed.Lambda);
            oneSided += Check(mixed.Audio, mixed.AudioMask, batch.AudioMask, i, j, 0, mixed.Lambda);
        }
        Assert.True(oneSided > 0, "the seed should pair a window with one whose stream is missing");
    }

    // Checks frame t of mixed window i (blended with window j); 1 when only one of the two had the stream there.
    private static int Check(Tensor features, Tensor mask, Tensor sourceMask, int i, int j, int t, double lambda)
    {
        bool inI = sourceMask[i, t].item<bool>(), inJ = sourceMask[j, t].item<bool>();
        float expected = inI && inJ ? (float)(lambda * (i + 1) + (1 - lambda) * (j + 1)) : inI ? i + 1 : j + 1;
        Assert.Equal(inI || inJ, mask[i, t].item<bool>());
        if (inI || inJ)
            Assert.Equal(expected, features[i, t, 0].item<float>(), 5);
        return inI != inJ ? 1 : 0;
    }

    [Fact]
    public void TheSameSeedDrawsTheSameBlend()
    {
        using var batch = Batch();
        var (a, b) = (new WindowMixup(0.4), new WindowMixup(0.4));
        a.Reseed(11);
        b.Reseed(11);
        var (x, y) = (a.Mix(batch), b.Mix(batch));
        Assert.Equal(x.Lambda, y.Lambda);
        Assert.True(x.Visual.equal(y.Visual).all().item<bool>());
        a.Reseed(12);
        Assert.NotEqual(x.Lambda, a.Mix(batch).Lambda);
    }
}
