using AffectFuse.Benchmarks.Compose;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class ComposeDeterminismTests
{
    private static Dictionary<string, byte[]> Outputs(string outDir) =>
        Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".txt") || f.EndsWith(".json"))
            .ToDictionary(f => Path.GetRelativePath(outDir, f), File.ReadAllBytes);

    [Fact]
    public void SameSeedGivesIdenticalManifestAndLabelsAndAnotherSeedDoesNot()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        var options = FakeComposeData.TinyOptions(seed: 11) with { ValidationClips = 0, TestClips = 0, TrainClips = 2 };
        new BenchmarkComposer(data, tmp["a"], options).Run();
        new BenchmarkComposer(data, tmp["b"], options).Run();
        new BenchmarkComposer(data, tmp["c"], options with { Seed = 12 }).Run();

        var a = Outputs(tmp["a"]);
        var b = Outputs(tmp["b"]);
        var c = Outputs(tmp["c"]);
        Assert.Equal(3, a.Count); // compose.json + two label files
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, bytes) in a)
            Assert.Equal(bytes, b[name]);
        Assert.NotEqual(a["compose.json"], c["compose.json"]);
        Assert.Contains(a.Keys.Where(k => k.EndsWith(".txt")), k => !a[k].SequenceEqual(c[k]));
    }

    [Fact]
    public void PlanningASplitDoesNotDependOnOtherSplitsClipCounts()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        var options = FakeComposeData.TinyOptions(seed: 3);
        var few = new BenchmarkComposer(data, tmp["x"], options).Plan();
        var more = new BenchmarkComposer(data, tmp["x"], options with { TrainClips = 4 }).Plan();
        var fewTest = few.Clips.Single(c => c.Split == ComposeSplit.Test);
        var moreTest = more.Clips.Single(c => c.Split == ComposeSplit.Test);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(fewTest), System.Text.Json.JsonSerializer.Serialize(moreTest));
    }
}
