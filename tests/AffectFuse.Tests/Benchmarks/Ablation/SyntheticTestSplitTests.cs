using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Ablation;

public class SyntheticTestSplitTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "affectfuse-synth-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void ATestSplitLeavesTrainAndValidationUnchanged()
    {
        var small = new SyntheticOptions { Seed = 3, TrainVideos = 2, ValidationVideos = 1, TwoPersonPairs = 0, MinFrames = 60, MaxFrames = 90 };
        var without = SyntheticDataset.Generate(small, Path.Combine(_root, "a"));
        var with = SyntheticDataset.Generate(small with { TestVideos = 2 }, Path.Combine(_root, "b"));

        Assert.Null(without.TestLabelsDir);
        Assert.Empty(without.TestVideoIds);
        Assert.Throws<AffectFuseException>(() => without.TestSource);
        Assert.False(Directory.Exists(AffWild2Layout.LabelsDir(Path.Combine(_root, "a"), AffWild2Split.Test)));

        Assert.Equal(without.TrainVideoIds, with.TrainVideoIds);
        Assert.Equal(without.ValidationVideoIds, with.ValidationVideoIds);
        foreach (string id in without.TrainVideoIds.Concat(without.ValidationVideoIds))
            Assert.Equal(File.ReadAllBytes(Path.Combine(without.FeaturesDir, id + FeatureFile.Extension)), File.ReadAllBytes(Path.Combine(with.FeaturesDir, id + FeatureFile.Extension)));

        Assert.Equal(2, with.TestVideoIds.Count);
        Assert.Empty(with.TestVideoIds.Intersect(with.TrainVideoIds.Concat(with.ValidationVideoIds)));
        var test = DatasetLoader.LoadLabelled(with.TestSource);
        Assert.Equal(with.TestVideoIds, test.Select(v => v.VideoId));
        Assert.Equal(with.TestFrames, test.Sum(v => (long)v.Labels.Length));
        Assert.Equal(1.0, with.TestClassShares.Sum(), 9);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
