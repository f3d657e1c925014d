using AffectFuse.Benchmarks.Compose;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class ClipPlannerTests
{
    [Theory]
    [InlineData(0.2, 0.2)]
    [InlineData(0.5, 0.4)]
    [InlineData(0.1, 0.05)]
    public void SilentAndAbsentSharesFollowTheOptions(double silent, double absent)
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        // Longer clips than the rendering tests: planning alone is cheap.
        var options = FakeComposeData.TinyOptions(seed: 2) with
        {
            TrainClips = 100, ValidationClips = 0, TestClips = 0, MinClipSeconds = 40, MaxClipSeconds = 60,
            MinSegmentSeconds = 2, MaxSegmentSeconds = 6, MinAbsentSeconds = 1, MaxAbsentSeconds = 3,
            SilentFraction = silent, AbsentFraction = absent,
            // Surprise carries no speech, so its share bounds the silence from below: keep it as rare as in Aff-Wild2.
            ClassPrior = [4, 2, 0, 0, 2, 0, 0.5, 2],
        };
        var manifest = new BenchmarkComposer(data, tmp["out"], options).Plan();
        var summary = ComposeSummary.Of(manifest).Single();
        Assert.InRange(summary.AbsentShare, absent - 0.01, absent + 0.02);
        Assert.InRange(summary.SilentShare, silent - 0.02, silent + 0.04);
        foreach (var clip in manifest.Clips)
        {
            var spans = clip.AbsentSpans;
            for (int i = 1; i < spans.Count; i++)
                Assert.True(spans[i].StartFrame > spans[i - 1].EndFrame, "absent spans neither overlap nor touch");
            var utterances = clip.Segments.SelectMany(s => s.Utterances).ToList();
            for (int i = 1; i < utterances.Count; i++)
                Assert.True(utterances[i].StartFrame >= utterances[i - 1].EndFrame, "utterances do not overlap");
            Assert.Equal(clip.AbsentFrames, clip.FacePresent().Count(p => !p));
        }
        Assert.True(manifest.Clips.SelectMany(c => c.AbsentSpans).Select(a => a.Kind).Distinct().Count() == 4, "every kind of absence occurs");
    }

    [Fact]
    public void ClassSharesFollowThePriorAndSegmentLengthsTheRange()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        double[] prior = [4, 1, 0, 0, 2, 0, 1, 2];
        var options = FakeComposeData.TinyOptions(seed: 4) with
        {
            TrainClips = 300, ValidationClips = 0, TestClips = 0, MinClipSeconds = 40, MaxClipSeconds = 60,
            MinSegmentSeconds = 2, MaxSegmentSeconds = 6, ClassPrior = prior, StayProbability = 0.5,
        };
        var manifest = new BenchmarkComposer(data, tmp["out"], options).Plan();
        var shares = ComposeSummary.Of(manifest).Single().ClassShares;
        for (int c = 0; c < 8; c++)
            Assert.InRange(shares[c], prior[c] / 10 - 0.04, prior[c] / 10 + 0.04);
        var segments = manifest.Clips.SelectMany(c => c.Segments.Take(c.Segments.Count - 1)).ToList();
        Assert.All(segments, s => Assert.InRange(s.EndFrame - s.StartFrame, 2 * 25, 6 * 25));
        // Persistence: with stay probability 0.5 well over the 0.4 chance of redrawing the same class.
        var pairs = manifest.Clips.SelectMany(c => c.Segments.Zip(c.Segments.Skip(1))).ToList();
        double same = pairs.Count(p => p.First.Class == p.Second.Class) / (double)pairs.Count;
        Assert.InRange(same, 0.55, 0.8);
    }

    [Fact]
    public void AClassWithoutPhotographsInASplitIsLeftOutWithAWarning()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        var warnings = new List<string>();
        // Fear (3) has no photograph in the fake data.
        var options = FakeComposeData.TinyOptions() with { ClassPrior = [1, 1, 0, 5, 1, 0, 1, 1] };
        var manifest = new BenchmarkComposer(data, tmp["out"], options, warnings.Add).Plan();
        Assert.Contains(warnings, w => w.Contains("Fear"));
        Assert.DoesNotContain(manifest.Clips.SelectMany(c => c.Segments), s => s.Class == 3);
        Assert.All(manifest.ClassPriors.Values, p => Assert.Equal(0, p[3]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(11)]
    public void EverySplitShowsEveryClassItsPriorAllowsEvenWhenTheDrawMissesOne(int seed)
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        // Anger, Surprise and Other so rare that a few clips would almost never draw them by chance.
        double[] prior = [50, 0.01, 0, 0, 50, 0, 0.01, 0.01];
        var options = FakeComposeData.TinyOptions(seed) with
        {
            TrainClips = 3, ValidationClips = 2, TestClips = 2, MinClipSeconds = 12, MaxClipSeconds = 12, ClassPrior = prior,
        };
        var manifest = new BenchmarkComposer(data, tmp["out"], options).Plan();
        foreach (var split in manifest.Clips.GroupBy(c => c.Split))
        {
            var shown = split.SelectMany(c => c.Segments).Select(s => s.Class).ToHashSet();
            Assert.Equal([0, 1, 4, 6, 7], shown.Order());
        }
        // Deterministic: the same options plan the same clips.
        Assert.Equal(manifest.ToJson(), new BenchmarkComposer(data, tmp["out2"], options).Plan().ToJson().Replace(tmp["out2"], tmp["out"]));
    }
}
