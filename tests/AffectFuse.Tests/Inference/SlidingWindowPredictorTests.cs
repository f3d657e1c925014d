using Xunit;
using AffectFuse.Data;
using AffectFuse.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Inference;

public class SlidingWindowPredictorTests
{
    [Theory]
    [InlineData(5, 8, 2, new[] { 0 })]                    // shorter than the window: one window of its own length
    [InlineData(8, 8, 2, new[] { 0 })]                    // exactly the window
    [InlineData(24, 10, 4, new[] { 0, 4, 8, 12, 14 })]    // 10 + 3·4 + 2: a final window ends at the last frame
    [InlineData(22, 10, 4, new[] { 0, 4, 8, 12 })]        // 10 + 3·4: no remainder, no extra window
    [InlineData(15, 10, 1, new[] { 0, 1, 2, 3, 4, 5 })]   // stride 1
    [InlineData(25, 10, 10, new[] { 0, 10, 15 })]         // stride = window
    [InlineData(0, 10, 5, new int[0])]
    public void WindowStartsCoverEveryFrame(int frames, int window, int stride, int[] expected)
    {
        var starts = SlidingWindowPredictor.WindowStarts(frames, window, stride);
        Assert.Equal(expected, starts);
        int length = Math.Min(window, frames);
        var covered = new bool[frames];
        foreach (int s in starts)
            for (int j = 0; j < length; j++)
                covered[s + j] = true;
        Assert.All(covered, Assert.True);
    }

    [Fact]
    public void StrideLongerThanWindowIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindowPredictor.WindowStarts(100, 10, 11));
        var ex = Assert.Throws<AffectFuseException>(() => SlidingWindowPredictor.CheckOptions(new InferenceOptions { Window = 10, Stride = 11 }));
        Assert.Equal("InferenceOptions.Stride", ex.Option);
    }

    /// <summary>A fake model: every frame of the window starting at s puts logit 40 on class (s mod 8), so its
    /// softmax is one-hot on that class to within 1e-15 and each frame's vote is countable by hand.</summary>
    private static Func<IReadOnlyList<int>, int, Tensor> StartEncodingModel(List<(int Start, int Length)> calls, List<int> batchSizes)
        => (starts, length) =>
        {
            batchSizes.Add(starts.Count);
            var logits = new float[starts.Count * length * 8];
            for (int i = 0; i < starts.Count; i++)
            {
                calls.Add((starts[i], length));
                for (int j = 0; j < length; j++)
                    logits[(i * length + j) * 8 + starts[i] % 8] = 40;
            }
            return tensor(logits, [starts.Count, length, 8]);
        };

    [Fact]
    public void UniformVoteIsTheMeanOverCoveringWindows()
    {
        // 9 frames, T = 4, S = 2 → windows at 0, 2, 4 and the final 5 (classes 0, 2, 4, 5).
        var calls = new List<(int, int)>();
        var batches = new List<int>();
        var options = new InferenceOptions { Window = 4, Stride = 2, CentreWeighted = false, BatchSize = 3 };
        float[] p = SlidingWindowPredictor.Vote(9, options, StartEncodingModel(calls, batches));

        Assert.Equal([(0, 4), (2, 4), (4, 4), (5, 4)], calls);
        Assert.Equal([3, 1], batches);
        var expected = new Dictionary<int, double>[]
        {
            new() { [0] = 1 },                               // frame 0: window 0
            new() { [0] = 1 },                               // frame 1
            new() { [0] = 0.5, [2] = 0.5 },                  // frame 2: windows 0, 2
            new() { [0] = 0.5, [2] = 0.5 },                  // frame 3
            new() { [2] = 0.5, [4] = 0.5 },                  // frame 4: windows 2, 4
            new() { [2] = 1 / 3.0, [4] = 1 / 3.0, [5] = 1 / 3.0 }, // frame 5: windows 2, 4, 5
            new() { [4] = 0.5, [5] = 0.5 },                  // frame 6
            new() { [4] = 0.5, [5] = 0.5 },                  // frame 7
            new() { [5] = 1 },                               // frame 8: the final window only
        };
        for (int f = 0; f < 9; f++)
            for (int c = 0; c < 8; c++)
                Assert.Equal(expected[f].GetValueOrDefault(c), p[f * 8 + c], 5);
    }

    [Fact]
    public void CentreWeightedVoteFavoursTheWindowWhoseCentreIsNearer()
    {
        // Same windows; T = 4 weights are Hann(6) without end points: w = 0.5 − 0.5·cos(2π·i/5), i = 1..4.
        double[] w = new[] { 1, 2, 3, 4 }.Select(i => 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / 5)).ToArray();
        double[] actual = SlidingWindowPredictor.WindowWeights(4, centreWeighted: true);
        for (int i = 0; i < 4; i++)
            Assert.Equal(w[i], actual[i], 12);
        var options = new InferenceOptions { Window = 4, Stride = 2, CentreWeighted = true, BatchSize = 16 };
        float[] p = SlidingWindowPredictor.Vote(9, options, StartEncodingModel([], []));

        // Frame 2 sits at position 2 of window 0 (a centre weight) and position 0 of window 2 (an edge weight).
        Assert.Equal(w[2] / (w[2] + w[0]), p[2 * 8 + 0], 5);
        Assert.Equal(w[0] / (w[2] + w[0]), p[2 * 8 + 2], 5);
        Assert.True(p[2 * 8 + 0] > 0.7);
        // Frame 5: position 3 of window 2, 1 of window 4, 0 of window 5.
        double sum = w[3] + w[1] + w[0];
        Assert.Equal(w[3] / sum, p[5 * 8 + 2], 5);
        Assert.Equal(w[1] / sum, p[5 * 8 + 4], 5);
        Assert.Equal(w[0] / sum, p[5 * 8 + 5], 5);
        // Frame 0 is covered by one window at its edge: a positive weight still gives it a full vote.
        Assert.Equal(1, p[0], 5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(128)]
    public void CentreWeightsArePositiveSymmetricAndPeakInTheMiddle(int length)
    {
        double[] w = SlidingWindowPredictor.WindowWeights(length, centreWeighted: true);
        Assert.All(w, x => Assert.True(x > 0));
        for (int i = 0; i < length; i++)
            Assert.Equal(w[i], w[length - 1 - i], 12);
        Assert.Equal(w.Max(), w[length / 2], 12);
        if (length > 2)
            Assert.True(w[0] < w[length / 2]);
    }

    [Fact]
    public void ShortVideoRunsAsOneWindowOfItsOwnLength()
    {
        var calls = new List<(int, int)>();
        float[] p = SlidingWindowPredictor.Vote(5, new InferenceOptions { Window = 8, Stride = 2 }, StartEncodingModel(calls, []));
        Assert.Equal([(0, 5)], calls);
        Assert.Equal(40, p.Length);
        for (int f = 0; f < 5; f++)
            Assert.Equal(1, p[f * 8], 5);
    }

    [Fact]
    public void VoteAveragesSoftmaxNotLogits()
    {
        // Windows [0,2] and [2,4]: the first gives logits (0, ln 3) → softmax (0.25, 0.75), the second (ln 9, 0) →
        // (0.9, 0.1). Frame 2 averages the softmaxes: (0.575, 0.425); averaging logits would give (0.634, 0.366).
        Tensor Model(IReadOnlyList<int> starts, int length)
        {
            var logits = new float[starts.Count * length * 8];
            for (int i = 0; i < starts.Count; i++)
                for (int j = 0; j < length; j++)
                {
                    int o = (i * length + j) * 8;
                    for (int c = 0; c < 8; c++)
                        logits[o + c] = -1000;
                    logits[o] = starts[i] == 0 ? 0 : MathF.Log(9);
                    logits[o + 1] = starts[i] == 0 ? MathF.Log(3) : 0;
                }
            return tensor(logits, [starts.Count, length, 8]);
        }
        float[] p = SlidingWindowPredictor.Vote(5, new InferenceOptions { Window = 3, Stride = 3, CentreWeighted = false }, Model);
        Assert.Equal(0.575, p[2 * 8 + 0], 5);
        Assert.Equal(0.425, p[2 * 8 + 1], 5);
        Assert.Equal(0.25, p[0], 5);
        Assert.Equal(0.9, p[4 * 8], 5);
    }

    [Theory]
    [InlineData(1, 16, 1, 1)]
    [InlineData(37, 8, 3, 2)]
    [InlineData(100, 16, 16, 4)]
    [InlineData(101, 32, 5, 3)]
    public void EveryFrameIsAProbabilityDistribution(int frames, int window, int stride, int batch)
    {
        var rng = new Random(frames * 31 + window);
        Tensor Model(IReadOnlyList<int> starts, int length)
            => tensor(Enumerable.Range(0, starts.Count * length * 8).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray(), [starts.Count, length, 8]);
        var options = new InferenceOptions { Window = window, Stride = stride, BatchSize = batch };
        float[] p = SlidingWindowPredictor.Vote(frames, options, Model);
        Assert.Equal(frames * 8, p.Length);
        for (int f = 0; f < frames; f++)
        {
            Assert.Equal(1.0, p.Skip(f * 8).Take(8).Sum(x => (double)x), 5);
            Assert.All(p.Skip(f * 8).Take(8), x => Assert.True(x > 0 && x < 1));
        }
    }

    [Fact]
    public void WrongLogitShapeIsReported()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            SlidingWindowPredictor.Vote(10, new InferenceOptions { Window = 4, Stride = 2 }, (s, l) => zeros(s.Count, l, 7)));
        Assert.Contains("shape", ex.Message);
    }

    [Fact]
    public void VideoWindowBatchCutsTheRightFramesOut()
    {
        // Visual row t = (t, 100 + t), audio row t = (−t), masks alternate.
        int frames = 12;
        var video = new VideoFeatures
        {
            VideoId = "v",
            Visual = FeatureMatrix.Of(Enumerable.Range(0, frames).SelectMany(t => new float[] { t, 100 + t }).ToArray(), 2),
            VisualMask = Enumerable.Range(0, frames).Select(t => t % 2 == 0).ToArray(),
            Audio = FeatureMatrix.Of(Enumerable.Range(0, frames).Select(t => (float)-t).ToArray(), 1),
            AudioMask = Enumerable.Range(0, frames).Select(t => t % 3 == 0).ToArray(),
            Timestamps = Enumerable.Range(0, frames).Select(t => t / 30.0).ToArray(),
        };
        using var scope = NewDisposeScope();
        var (v, mv, a, ma) = VideoWindowBatch.ToTensors(video, [3, 8], 4, CPU);
        Assert.Equal([3, 103, 4, 104, 5, 105, 6, 106, 8, 108, 9, 109, 10, 110, 11, 111], v.data<float>().ToArray());
        Assert.Equal([-3, -4, -5, -6, -8, -9, -10, -11], a.data<float>().ToArray());
        Assert.Equal([false, true, false, true, true, false, true, false], mv.data<bool>().ToArray());
        Assert.Equal([true, false, false, true, false, true, false, false], ma.data<bool>().ToArray());
        Assert.Equal([2L, 4, 2], v.shape);
        Assert.Equal([2L, 4], mv.shape);
        Assert.Equal(ScalarType.Bool, mv.dtype);
        Assert.Equal([2L, 4, 1], a.shape);
        Assert.Equal(106f, v[0, 3, 1].item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoWindowBatch.ToTensors(video, [9], 4, CPU));
    }
}
