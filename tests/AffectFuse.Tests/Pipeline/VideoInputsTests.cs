using AffectFuse.Features;
using AffectFuse.Tests.Data;
using Xunit;

namespace AffectFuse.Tests.Pipeline;

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
    public void ShardsPartitionTheInputsDeterministically()
    {
        var videos = Enumerable.Range(0, 60).Select(i => new VideoInput($"/data/v{i:00}.mp4", $"set{i % 3}/v{i:00}.mp4")).ToList();
        foreach (int n in new[] { 1, 2, 3, 7 })
        {
            var shards = Enumerable.Range(0, n).Select(i => VideoInputs.Shard(videos, i, n)).ToList();
            Assert.Equal(videos.Count, shards.Sum(s => s.Count));                              // disjoint …
            Assert.Equal(videos.ToHashSet(), shards.SelectMany(s => s).ToHashSet());            // … and covering
            if (n > 1)
                Assert.All(shards, s => Assert.NotEmpty(s));
            // Depends only on the key: the same in another listing, whatever else it holds.
            var subset = videos.Where((_, i) => i % 2 == 0).ToList();
            for (int i = 0; i < n; i++)
                Assert.Equal(shards[i].Where(subset.Contains), VideoInputs.Shard(subset, i, n));
        }
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    public void ShardTextIsZeroBased(string text, int index, int count) => Assert.Equal((index, count), VideoInputs.ParseShard(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("1/0")]
    [InlineData("-1/3")]
    [InlineData("two/3")]
    public void BadShardTextIsRejected(string text) => Assert.Throws<AffectFuseException>(() => VideoInputs.ParseShard(text));
}
