using Xunit;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;

namespace AffectFuse.Tests.Evaluation;

public class SweepTests
{
    private static LabelledVideo Video(string id, int[] labels) => new(new VideoFeatures
    {
        VideoId = id,
        Visual = FeatureMatrix.Zeros(labels.Length, 1),
        VisualMask = new bool[labels.Length],
        Audio = FeatureMatrix.Zeros(labels.Length, 1),
        AudioMask = new bool[labels.Length],
        Timestamps = Enumerable.Range(0, labels.Length).Select(t => t / 30.0).ToArray(),
    }, labels);

    /// <summary>A fake voter: the truth's class gets 0.6, but every 7th frame (shifted by the window length so
    /// settings differ) puts 0.7 on the next class instead, an isolated error smoothing can remove.</summary>
    private static float[] NoisyVote(LabelledVideo video, InferenceOptions options)
    {
        int n = video.Labels.Length;
        var p = new float[n * 8];
        for (int t = 0; t < n; t++)
        {
            int truth = Math.Max(video.Labels[t], 0);
            bool wrong = (t + options.Window) % 7 == 0;
            p[t * 8 + truth] = wrong ? 0.3f : 0.6f;
            p[t * 8 + (truth + 1) % 8] = wrong ? 0.7f : 0.4f;
        }
        return p;
    }

    [Fact]
    public void EvaluatesEveryGridPointAndPicksTheBest()
    {
        int[] a = Enumerable.Range(0, 90).Select(t => t / 30 * 2).ToArray();          // classes 0, 2, 4 in runs of 30
        int[] b = Enumerable.Range(0, 60).Select(t => t < 5 ? -1 : t < 40 ? 5 : 7).ToArray();
        var videos = new[] { Video("a", a), Video("b", b) };
        var grid = new SweepGrid([8, 16], [0.5, 1.0], [0, 2]);
        var voted = new List<(string, int, int)>();

        var result = Sweep.Run((features, options) =>
        {
            voted.Add((features.VideoId, options.Window, options.Stride));
            return NoisyVote(videos.Single(v => v.VideoId == features.VideoId), options);
        }, videos, grid, new InferenceOptions { CentreWeighted = false, BatchSize = 4 });

        // Voting runs once per (video, window, stride); smoothing widths reuse it.
        Assert.Equal(8, voted.Count);
        Assert.Equal(8, result.Points.Count);
        Assert.Equal([(8, 4), (8, 8), (16, 8), (16, 16)],
            result.Points.Select(p => (p.Options.Window, p.Options.Stride)).Distinct().ToArray());
        Assert.All(result.Points, p => Assert.False(p.Options.CentreWeighted));
        Assert.All(result.Points, p => Assert.Equal(4, p.Options.BatchSize));

        foreach (var point in result.Points)
        {
            var truth = new List<int>();
            var predicted = new List<int>();
            foreach (var v in videos)
            {
                truth.AddRange(v.Labels);
                predicted.AddRange(TemporalSmoothing.Argmax(TemporalSmoothing.Smooth(NoisyVote(v, point.Options), point.Options.SmoothingHalfWidth)));
            }
            var expected = Metrics.Compute(truth, predicted);
            Assert.Equal(expected.MacroF1, point.Scores.MacroF1, 12);
            Assert.Equal(expected.Accuracy, point.Scores.Accuracy, 12);
        }
        Assert.Equal(result.Points.Max(p => p.Scores.MacroF1), result.Best.Scores.MacroF1);
        Assert.Equal(2, result.Best.Options.SmoothingHalfWidth); // smoothing removes the isolated errors
        Assert.True(result.Best.Scores.Accuracy > result.Points.Where(p => p.Options.SmoothingHalfWidth == 0).Max(p => p.Scores.Accuracy));
    }

    [Fact]
    public void StrideFractionsRoundAndDeduplicate()
    {
        var grid = new SweepGrid([3, 64], [0.25, 0.3, 1.0], [0]);
        Assert.Equal([(3, 1), (3, 3), (64, 16), (64, 19), (64, 64)], grid.WindowStrides());
        Assert.Throws<AffectFuseException>(() => new SweepGrid([8], [1.5], [0]).WindowStrides());
    }
}
