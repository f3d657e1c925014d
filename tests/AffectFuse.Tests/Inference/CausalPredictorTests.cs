using Xunit;
using Xunit.Abstractions;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Tests.Data;
using AffectFuse.Tests.Model;
using TorchSharp;

namespace AffectFuse.Tests.Inference;

public class CausalPredictorTests(ITestOutputHelper output)
{
    private const int K = ExpressionClasses.Count;

    private static AffectFuseModel RandomModel(long seed = 5)
    {
        torch.manual_seed(seed);
        var model = new AffectFuseModel(ModelTestInputs.Small());
        ModelTestInputs.Perturb(model, seed);
        model.eval();
        return model;
    }

    /// <summary>Synthetic features with scattered gaps in both streams and a long stretch without a face.</summary>
    private static VideoFeatures Video(int frames)
    {
        var video = TestFeatures.Make("live", frames, visualDim: 6, audioDim: 5);
        for (int t = 20; t < Math.Min(frames, 34); t++)
            video.VisualMask[t] = false;
        return video;
    }

    private static float[] Offline(AffectFuseModel model, VideoFeatures video, InferenceOptions options)
        => TemporalSmoothing.Smooth(SlidingWindowPredictor.Predict(model, video, options), options.SmoothingHalfWidth);

    /// <summary>Streams <paramref name="video"/> through a predictor, checking on the way that frames come out in order,
    /// each exactly L frames after it arrived, and that no more than L are ever pending.</summary>
    private static float[] Live(AffectFuseModel model, VideoFeatures video, InferenceOptions options, int lookAhead)
    {
        var predictor = new CausalPredictor(model, options, lookAhead);
        Assert.Equal(lookAhead, predictor.Latency);
        float[] visual = video.Visual.ToSingles(), audio = video.Audio.ToSingles();
        int dv = video.VisualDim, da = video.AudioDim, next = 0;
        var result = new float[video.FrameCount * K];
        void Take(IReadOnlyList<CausalFrame> frames)
        {
            foreach (var frame in frames)
            {
                Assert.Equal(next++, frame.Frame);
                frame.Probabilities.CopyTo(result, frame.Frame * K);
            }
        }
        for (int t = 0; t < video.FrameCount; t++)
        {
            var frames = predictor.Push(visual.AsSpan(t * dv, dv), video.VisualMask[t], audio.AsSpan(t * da, da), video.AudioMask[t]);
            Assert.Equal(t >= lookAhead ? 1 : 0, frames.Count);
            Take(frames);
            Assert.Equal(Math.Min(t + 1, lookAhead), predictor.PendingFrames);
        }
        Take(predictor.Flush());
        Assert.Equal(video.FrameCount, next);
        Assert.Equal(0, predictor.PendingFrames);
        return result;
    }

    private static double MeanAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Average();

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();

    [Theory]
    [InlineData(50, 16, 4, 0, true, 0)]     // stride < window, a final window (50 − 16 = 34 = 8·4 + 2)
    [InlineData(50, 16, 4, 3, true, 0)]     // with smoothing
    [InlineData(52, 16, 4, 2, true, 0)]     // no remainder: no final window
    [InlineData(50, 16, 16, 2, true, 0)]    // stride = window, a final window
    [InlineData(48, 16, 16, 0, true, 0)]    // stride = window, no remainder
    [InlineData(45, 12, 5, 2, false, 0)]    // uniform votes
    [InlineData(10, 16, 4, 2, true, 0)]     // shorter than the window: one short window at the end
    [InlineData(16, 16, 4, 1, true, 0)]     // exactly one window
    [InlineData(50, 16, 4, 3, true, 7)]     // more look-ahead than needed changes nothing
    [InlineData(30, 8, 3, 2, true, 100)]    // look-ahead beyond the stream: everything comes out at the flush
    public void EnoughLookAheadReproducesOffline(int frames, int window, int stride, int halfWidth, bool centre, int extra)
    {
        using var model = RandomModel();
        var options = new InferenceOptions { Window = window, Stride = stride, SmoothingHalfWidth = halfWidth, CentreWeighted = centre };
        var video = Video(frames);
        float[] offline = Offline(model, video, options);
        float[] live = Live(model, video, options, window + halfWidth + extra);
        Assert.True(MaxAbsDiff(offline, live) <= 1e-6, $"max |live − offline| = {MaxAbsDiff(offline, live):g3}");
    }

    /// <summary>Below T + δ a frame is final before offline would be: the difference is there and shrinks as L grows.</summary>
    [Theory]
    [InlineData(80, 16, 4, 3)]
    [InlineData(80, 16, 4, 0)]
    [InlineData(80, 16, 16, 2)]
    public void DifferenceFromOfflineShrinksWithLookAhead(int frames, int window, int stride, int halfWidth)
    {
        using var model = RandomModel();
        var options = new InferenceOptions { Window = window, Stride = stride, SmoothingHalfWidth = halfWidth };
        var video = Video(frames);
        float[] offline = Offline(model, video, options);
        int[] lookAheads = [0, window / 4, window / 2, window, window + halfWidth];
        double[] diffs = lookAheads.Select(l => MeanAbsDiff(offline, Live(model, video, options, l))).ToArray();
        output.WriteLine($"T={window} S={stride} δ={halfWidth}: " + string.Join(", ", lookAheads.Zip(diffs, (l, d) => $"L={l}: {d:e2}")));
        Assert.True(diffs[0] > 1e-4, "zero look-ahead should differ from offline");
        for (int i = 1; i < diffs.Length; i++)
            Assert.True(diffs[i] <= diffs[i - 1], $"L={lookAheads[i]} differs more ({diffs[i]:e2}) than L={lookAheads[i - 1]} ({diffs[i - 1]:e2})");
        Assert.True(diffs[^1] <= 1e-7);
    }

    /// <summary>The live definition itself: frame f is what offline would say of it if the stream ended at f + L.</summary>
    [Theory]
    [InlineData(0, 2, true)]
    [InlineData(3, 2, true)]
    [InlineData(6, 0, false)]
    public void FinalFrameIsOfflineOnTheStreamSoFar(int lookAhead, int halfWidth, bool centre)
    {
        using var model = RandomModel(9);
        var options = new InferenceOptions { Window = 8, Stride = 3, SmoothingHalfWidth = halfWidth, CentreWeighted = centre };
        const int frames = 30;
        float[] live = Live(model, Video(frames), options, lookAhead);
        for (int f = 0; f < frames; f++)
        {
            int seen = Math.Min(frames, f + lookAhead + 1);
            float[] truncated = Offline(model, Video(seen), options);
            for (int c = 0; c < K; c++)
                Assert.True(Math.Abs(truncated[f * K + c] - live[f * K + c]) <= 1e-6, $"frame {f} class {c}");
        }
    }

    [Fact]
    public void LongStreamStaysExactThroughManyRingWraps()
    {
        using var model = RandomModel();
        var options = new InferenceOptions { Window = 12, Stride = 5, SmoothingHalfWidth = 2 };
        var video = Video(700);
        Assert.True(MaxAbsDiff(Offline(model, video, options), Live(model, video, options, 14)) <= 1e-6);
    }

    [Fact]
    public void EmptyStreamFlushesNothingAndAFlushedStreamTakesNoMore()
    {
        using var model = RandomModel();
        var predictor = new CausalPredictor(model, new InferenceOptions { Window = 8, Stride = 4 }, 2);
        Assert.Empty(predictor.Flush());
        Assert.Empty(predictor.Flush());
        Assert.Throws<InvalidOperationException>(() => predictor.Push(new float[6], true, new float[5], true));
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        using var model = RandomModel();
        var options = new InferenceOptions { Window = 8, Stride = 4 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new CausalPredictor(model, options, -1));
        Assert.Throws<AffectFuseException>(() => new CausalPredictor(model, options with { Stride = 9 }, 0));
        Assert.Throws<AffectFuseException>(() => new CausalPredictor(model, options with { Window = 65, Stride = 4 }, 0));
        var predictor = new CausalPredictor(model, options, 0);
        Assert.Throws<ArgumentException>(() => predictor.Push(new float[5], true, new float[5], true));
        Assert.Throws<ArgumentException>(() => predictor.Push(new float[6], true, new float[4], true));
    }

    [Fact]
    public void ModelIsLeftInTheModeItCameIn()
    {
        using var model = RandomModel();
        model.train();
        var predictor = new CausalPredictor(model, new InferenceOptions { Window = 4, Stride = 2 }, 0);
        var frames = predictor.Push(new float[6], true, new float[5], true);
        Assert.Single(frames);
        Assert.True(model.training);
        Assert.Equal(1, frames[0].Probabilities.Sum(), 5);
    }
}
