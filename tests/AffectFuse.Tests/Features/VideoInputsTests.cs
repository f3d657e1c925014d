using AffectFuse.Cli;
using AffectFuse.Features;
using AffectFuse.Tests.Data;
using Xunit;

namespace AffectFuse.Tests.Features;

public class VideoInputsTests
{
    [Fact]
    public void FoldersAreScannedForVideosInSortedOrder()
    {
        using var dir = new TempFolder();
        string sub = dir.Folder("b");
        foreach (var name in new[] { "z.mp4", "a.MKV", "notes.txt", ".hidden.mp4" })
            File.WriteAllText(dir.File(name), "");
        File.WriteAllText(Path.Combine(sub, "c.webm"), "");
        var found = VideoInputs.Discover([dir.Path]);
        Assert.Equal(["a.MKV", "b/c.webm", "z.mp4"], found.Select(v => v.Key));
        Assert.Equal(dir.File("z.mp4"), found[2].Path);
        // A file named directly is taken whatever its extension; a repeated one once.
        var direct = VideoInputs.Discover([dir.File("notes.txt"), dir.Path, dir.File("z.mp4")]);
        Assert.Equal(["notes.txt", "a.MKV", "b/c.webm", "z.mp4"], direct.Select(v => v.Key));
        var e = Assert.Throws<AffectFuseException>(() => VideoInputs.Discover([dir.File("missing.mp4")]));
        Assert.Equal(dir.File("missing.mp4"), e.File);
    }

    [Fact]
    public void FoldersAlsoYieldAudioFiles()
    {
        using var dir = new TempFolder();
        foreach (var name in new[] { "a.wav", "b.FLAC", "c.mp3", "d.m4a", "e.ogg", "f.opus", "g.mp4", "h.aac", "notes.txt" })
            File.WriteAllText(dir.File(name), "");
        Assert.Equal(["a.wav", "b.FLAC", "c.mp3", "d.m4a", "e.ogg", "f.opus", "g.mp4"], VideoInputs.Discover([dir.Path]).Select(v => v.Key));
    }

    [Fact]
    public void ShardsPartitionTheInputsBalancedByLengthTheSameWhateverTheListingOrder()
    {
        var random = new Random(4);
        var videos = Enumerable.Range(0, 60).Select(i => new VideoInput($"/data/v{i:00}.mp4", $"set{i % 3}/v{i:00}.mp4")).ToList();
        var frames = videos.ToDictionary(v => v, _ => (long)random.Next(100, 50_000));
        foreach (int n in new[] { 1, 2, 3, 7 })
        {
            var shards = Enumerable.Range(0, n).Select(i => VideoInputs.Shard(videos, i, n, v => frames[v])).ToList();
            Assert.Equal(videos.Count, shards.Sum(s => s.Count));                              // disjoint …
            Assert.Equal(videos.ToHashSet(), shards.SelectMany(s => s).ToHashSet());            // … and covering
            // Balanced by frames: no shard exceeds the mean by more than the longest video (the LPT bound).
            double mean = frames.Values.Sum() / (double)n;
            Assert.All(shards, s => Assert.True(s.Sum(v => frames[v]) <= mean + frames.Values.Max(), $"shard of {s.Sum(v => frames[v])} frames, mean {mean}"));
            // The same in another listing order: each task of an array job computes its own shard.
            var shuffled = videos.OrderBy(_ => random.Next()).ToList();
            for (int i = 0; i < n; i++)
                Assert.Equal(shards[i].ToHashSet(), VideoInputs.Shard(shuffled, i, n, v => frames[v]).ToHashSet());
        }
        // Count alone would give 20 videos each; one long video balances against many short ones.
        var skewed = videos.Take(10).ToList();
        var lengths = skewed.ToDictionary(v => v, v => v == skewed[0] ? 9000L : 1000L);
        var two = Enumerable.Range(0, 2).Select(i => VideoInputs.Shard(skewed, i, 2, v => lengths[v])).ToList();
        Assert.Equal([1, 9], two.Select(s => s.Count).Order());
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    public void ShardTextIsZeroBased(string text, int index, int count) => Assert.Equal((index, count), ShardArgument.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("two/3")]
    public void BadShardTextIsRejected(string text) => Assert.Throws<AffectFuseException>(() => ShardArgument.Parse(text));
}
