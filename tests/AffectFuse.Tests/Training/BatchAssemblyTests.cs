using AffectFuse.Data;
using AffectFuse.Training;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Training;

/// <summary>The batch path at scale (features kept in float16, cut straight into tensors, assembled on a prefetch thread)
/// gives exactly the tensors of the path it replaced: whole videos widened to float32, windows copied into fresh arrays.</summary>
public class BatchAssemblyTests
{
    private static LabelledVideo Video(int frames, int dv, int da, bool half, int seed)
    {
        var random = new Random(seed);
        float[] Values(int width) => Enumerable.Range(0, frames * width).Select(_ => random.Next(8) == 0 ? 0f : (float)(random.NextDouble() * 8 - 4)).ToArray();
        FeatureMatrix Matrix(float[] v, int width) => half ? FeatureMatrix.Of(v.Select(x => (Half)x).ToArray(), width) : FeatureMatrix.Of(v, width);
        var visual = Matrix(Values(dv), dv);
        var audio = Matrix(Values(da), da);
        var features = new VideoFeatures
        {
            VideoId = $"v{seed}", Visual = visual, VisualMask = visual.NonZeroRows(), Audio = audio, AudioMask = audio.NonZeroRows(),
            Timestamps = Enumerable.Range(0, frames).Select(t => t / 30.0).ToArray(),
        };
        return new LabelledVideo(features, Enumerable.Range(0, frames).Select(_ => random.Next(-1, 8)).ToArray());
    }

    // The assembly this replaced, kept here as the reference: float32 copies of whole videos, new arrays per batch.
    private static (float[] V, bool[] Mv, float[] A, bool[] Ma, long[] Y) OldAssemble(IReadOnlyList<LabelledVideo> videos, ReadOnlySpan<TrainingWindow> windows, int length)
    {
        int dv = videos[0].Features.VisualDim, da = videos[0].Features.AudioDim, b = windows.Length;
        var visual = new float[b * length * dv];
        var audio = new float[b * length * da];
        var visualMask = new bool[b * length];
        var audioMask = new bool[b * length];
        var labels = new long[b * length];
        Array.Fill(labels, -1L);
        for (int i = 0; i < b; i++)
        {
            var w = windows[i];
            var f = videos[w.Video].Features;
            int n = Math.Min(w.Length, length);
            Array.Copy(f.Visual.ToSingles(), (long)w.Start * dv, visual, (long)i * length * dv, (long)n * dv);
            Array.Copy(f.Audio.ToSingles(), (long)w.Start * da, audio, (long)i * length * da, (long)n * da);
            Array.Copy(f.VisualMask, w.Start, visualMask, i * length, n);
            Array.Copy(f.AudioMask, w.Start, audioMask, i * length, n);
            for (int t = 0; t < n; t++) labels[i * length + t] = videos[w.Video].Labels[w.Start + t];
        }
        return (visual, visualMask, audio, audioMask, labels);
    }

    private static void AssertSame((float[] V, bool[] Mv, float[] A, bool[] Ma, long[] Y) expected, WindowBatch actual, int b, int length, int dv, int da)
    {
        Assert.Equal([b, length, dv], actual.Visual.shape);
        Assert.Equal([b, length, da], actual.Audio.shape);
        Assert.Equal(ScalarType.Float32, actual.Visual.dtype);
        // Bit for bit: compare the raw patterns, not values within a tolerance.
        Assert.Equal(expected.V.Select(BitConverter.SingleToInt32Bits), actual.Visual.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.A.Select(BitConverter.SingleToInt32Bits), actual.Audio.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(expected.Mv, actual.VisualMask.data<bool>().ToArray());
        Assert.Equal(expected.Ma, actual.AudioMask.data<bool>().ToArray());
        Assert.Equal(expected.Y, actual.Labels.data<long>().ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PrefetchedBatchesEqualTheOldAssemblyBitForBit(bool half)
    {
        const int window = 16, batch = 3, dv = 7, da = 5;
        // A video shorter than the window (padded) among longer ones, in both storage precisions.
        var videos = new[] { Video(70, dv, da, half, 1), Video(9, dv, da, half, 2), Video(41, dv, da, half, 3) };
        var order = TrainingWindow.Plan(videos, window, 8, new Random(5)).ToArray();
        new Random(6).Shuffle(order);
        using var prefetcher = new BatchPrefetcher(videos, order, batch, window, CancellationToken.None);
        Assert.Equal((order.Length + batch - 1) / batch, prefetcher.Count);
        for (int i = 0; i < prefetcher.Count; i++)
        {
            var slice = order.AsSpan(i * batch, Math.Min(batch, order.Length - i * batch));
            using var got = prefetcher.Next();
            AssertSame(OldAssemble(videos, slice, window), got, slice.Length, window, dv, da);
        }
    }

    [Fact]
    public void AFailureWhileAssemblingReachesTheTrainingLoop()
    {
        var videos = new[] { Video(20, 3, 2, half: true, 1) };
        // A window that runs past the video's end, as a bug in planning would make.
        TrainingWindow[] order = [new(0, 0, 8), new(0, 16, 8)];
        using var prefetcher = new BatchPrefetcher(videos, order, 1, 8, CancellationToken.None);
        prefetcher.Next().Dispose();
        Assert.Throws<ArgumentOutOfRangeException>(() => prefetcher.Next());
    }

    [Fact]
    public void StoppingEarlyReleasesThePrefetchedBatches()
    {
        var videos = new[] { Video(400, 3, 2, half: true, 1) };
        var order = TrainingWindow.Plan(videos, 8, 1).ToArray();
        using var cancel = new CancellationTokenSource();
        var prefetcher = new BatchPrefetcher(videos, order, 2, 8, cancel.Token);
        prefetcher.Next().Dispose();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => prefetcher.Next());
        Assert.True(Task.Run(prefetcher.Dispose).Wait(TimeSpan.FromSeconds(30)), "Dispose hung");
    }
}
