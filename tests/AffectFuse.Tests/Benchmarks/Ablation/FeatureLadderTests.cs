using AffectFuse.Audio;
using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Model;
using AffectFuse.Tests.Features.Sets;
using Xunit;
using AffectFuse.Training;

namespace AffectFuse.Tests.Benchmarks.Ablation;

public class FeatureLadderTests
{
    [Fact]
    public void TheLadderComparesEachAddedGroupAloneAndFused()
    {
        var names = AblationLadder.FeatureSets.Select(c => c.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("visual-only[human-emotion-minixception]", names);
        Assert.Contains("audio-only[affectfuse-audio+openwakeword-speech-embedding]", names);
        foreach (string set in new[] { "current", "+faceapi", "+landmarks", "+embedding", "all" })
        {
            Assert.Contains($"fused[{set}]", names);
            Assert.Contains($"fused-strong[{set}]", names);
        }
        Assert.All(AblationLadder.FeatureSets, c => Assert.True(c.VisualGroups is not null && c.AudioGroups is not null));
        var e = Assert.Throws<AffectFuseException>(() => new AblationOptions { Ladder = "bogus" }.SelectedConfigs);
        Assert.Equal("--ladder", e.File);
    }

    [Fact]
    public void EachRunsModelReadsAndRecordsItsOwnGroups()
    {
        using var tmp = new TempFolder();
        var rng = new Random(4);
        List<LabelledVideo> Split(int videos) => Enumerable.Range(0, videos).Select(i =>
        {
            var video = FeatureSetTests.AllGroupsVideo(frames: 96);
            return new LabelledVideo(video, Enumerable.Range(0, 96).Select(_ => rng.Next(8)).ToArray());
        }).ToList();
        var options = AblationFixture.Tiny(epochs: 1) with { Ladder = "features", Configs = ["fused[+faceapi]", "audio-only[affectfuse-audio+openwakeword-speech-embedding]"] };
        var report = new AblationRunner(tmp["out"]).Run(Split(2), Split(1), Split(1), options, "test");
        var fused = report.Runs.Single(r => r.Config == "fused[+faceapi]");
        using var model = Checkpoint.Load(Path.Combine(tmp["out"], fused.Checkpoint)).Model;
        var groups = VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression;
        Assert.Equal(VisualFeatureLayout.Width(groups), model.Options.VisualDim);
        Assert.Equal(VisualFeatureLayout.Name(groups), model.Options.VisualFeatures!.Name);
        Assert.Equal(AudioFeatureSets.Name(AudioFeatureGroups.Prosody), model.Options.AudioFeatures!.Name);
        Assert.Contains("visual human-emotion-minixception+faceapi-expression", fused.Settings.Features);
        var audio = report.Runs.Single(r => r.Config.StartsWith("audio-only"));
        using var audioModel = Checkpoint.Load(Path.Combine(tmp["out"], audio.Checkpoint)).Model;
        Assert.Equal(145 + 96, audioModel.Options.AudioDim);
    }
}
