using AffectFuse.Data;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Training;

public class TrainingWindowTests
{
    private static LabelledVideo Video(int frames) => new(new VideoFeatures
    {
        VideoId = $"v{frames}", Visual = FeatureMatrix.Zeros(frames, 1), VisualMask = new bool[frames], Audio = FeatureMatrix.Zeros(frames, 1),
        AudioMask = new bool[frames], Timestamps = new double[frames],
    }, new int[frames]);

    [Theory]
    [InlineData(100, 32, 16)]
    [InlineData(128, 32, 32)]
    [InlineData(129, 32, 7)]
    [InlineData(20, 32, 16)]
    [InlineData(32, 32, 1)]
    public void WindowsCoverEveryFrameAndStayInside(int frames, int window, int stride)
    {
        var plan = TrainingWindow.Plan([Video(frames)], window, stride);
        var covered = new bool[frames];
        foreach (var w in plan)
        {
            Assert.InRange(w.Start, 0, frames - 1);
            Assert.True(w.Start + w.Length <= frames);
            Assert.Equal(Math.Min(window, frames), w.Length);
            for (int t = w.Start; t < w.Start + w.Length; t++) covered[t] = true;
        }
        Assert.All(covered, Assert.True);
        Assert.Equal(plan.Count, plan.Distinct().Count());
    }

    [Theory]
    [InlineData(1000, 128, 128)]
    [InlineData(1000, 128, 64)]
    [InlineData(129, 128, 128)]
    [InlineData(60, 128, 128)]
    public void RandomPhaseMovesTheWindowsButStillCoversEveryFrame(int frames, int window, int stride)
    {
        var videos = new[] { Video(frames), Video(frames + 37) };
        var starts = new HashSet<string>();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            var plan = TrainingWindow.Plan(videos, window, stride, new Random(epoch));
            for (int v = 0; v < videos.Length; v++)
            {
                int n = videos[v].Features.FrameCount;
                var covered = new bool[n];
                foreach (var w in plan.Where(w => w.Video == v))
                {
                    Assert.InRange(w.Start, 0, n - 1);
                    Assert.True(w.Start + w.Length <= n);
                    for (int t = w.Start; t < w.Start + w.Length; t++) covered[t] = true;
                }
                Assert.All(covered, Assert.True);
            }
            starts.Add(string.Join(",", plan.Select(w => w.Start)));
            // Same seed, same plan: a resumed run replays an epoch exactly.
            Assert.Equal(plan, TrainingWindow.Plan(videos, window, stride, new Random(epoch)));
        }
        if (frames > window)
            Assert.True(starts.Count > 1, "the phase never changed");
        // Without overlap, an epoch costs about one pass over the frames (plus at most one window per video).
        if (stride == window)
        {
            var plan = TrainingWindow.Plan(videos, window, stride, new Random(1));
            Assert.True(plan.Sum(w => w.Length) <= videos.Sum(v => v.Features.FrameCount) + 2 * videos.Length * window);
        }
    }

    [Fact]
    public void BatchPadsShortWindowsWithMaskedIgnoredFrames()
    {
        var video = Video(5);
        Array.Fill(video.Features.VisualMask, true);
        Array.Fill(video.Labels, 3);
        using var batch = WindowBatch.Assemble([video], [new TrainingWindow(0, 0, 5)], 8);
        var labels = batch.Labels.data<long>().ToArray();
        var mask = batch.VisualMask.data<bool>().ToArray();
        Assert.Equal([3, 3, 3, 3, 3, -1, -1, -1], labels);
        Assert.Equal([true, true, true, true, true, false, false, false], mask);
    }
}

public class LearningRateScheduleTests
{
    [Fact]
    public void WarmsUpLinearlyThenDecaysToZero()
    {
        var s = new LearningRateSchedule(1e-3, 10, 110);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(1e-3, s.At(9), 12);
        Assert.Equal(1e-3, s.At(10), 12);
        Assert.Equal(0.5e-3, s.At(60), 12);
        Assert.Equal(0, s.At(110), 12);
        for (int i = 11; i < 110; i++) Assert.True(s.At(i) <= s.At(i - 1));
    }
}
