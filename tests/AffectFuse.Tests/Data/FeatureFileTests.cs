using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class FeatureFileTests
{
    [Fact]
    public void SaveThenLoadGivesTheSameFeaturesAndIdFromTheFileStem()
    {
        using var dir = new TempFolder();
        var original = TestFeatures.Make("ignored", 30, 5, 2);
        string path = dir.File("7-25-640x360_left.npz");
        FeatureFile.Save(original, path);
        var back = FeatureFile.Load(path);
        Assert.Equal("7-25-640x360_left", back.VideoId);
        Assert.Equal(original.Visual.ToSingles(), back.Visual.ToSingles());
        Assert.Equal(original.VisualMask, back.VisualMask);
        Assert.Equal(original.Audio.ToSingles(), back.Audio.ToSingles());
        Assert.Equal(original.AudioMask, back.AudioMask);
        Assert.Equal(original.Timestamps, back.Timestamps);
        Assert.Equal((5, 2), (back.VisualDim, back.AudioDim));
        Assert.Equal(original.Meta, back.Meta);
    }

    [Theory]
    [InlineData(NpyDType.Float16)]
    [InlineData(NpyDType.Float64)]
    public void LoadAcceptsFloat16AndFloat64Features(object dtypeValue) // object: NpyDType is internal to the library
    {
        var dtype = (NpyDType)dtypeValue;
        using var dir = new TempFolder();
        var f = TestFeatures.Make("v", 12, 3, 2);
        NpyArray Cast(float[] values, int width) => dtype == NpyDType.Float16
            ? NpyArray.Of(values.Select(v => (Half)v).ToArray(), 12, width)
            : NpyArray.Of(values.Select(v => (double)v).ToArray(), 12, width);
        string path = dir.File("v.npz");
        NpzArchive.Write(path, Arrays(f, Cast(f.Visual.ToSingles(), 3), Cast(f.Audio.ToSingles(), 2)));
        var back = FeatureFile.Load(path);
        Assert.Equal(f.Visual.ToSingles(), back.Visual.ToSingles()); // the test values are exact in float16
        Assert.Equal(f.Audio.ToSingles(), back.Audio.ToSingles());
        Assert.Equal(25, back.Meta.Fps, 9); // meta missing: frame rate from the timestamps
        // float16 is kept as float16 (and written back as such); float64 is rounded to float32 once, at load.
        var expected = dtype == NpyDType.Float16 ? NpyDType.Float16 : NpyDType.Float32;
        Assert.Equal((expected, expected), (back.Visual.DType, back.Audio.DType));
        string again = dir.File("again.npz");
        FeatureFile.Save(back, again);
        Assert.Equal(expected, FeatureFile.Load(again).Visual.DType);
    }

    [Theory]
    [InlineData("audio_mask", "missing array 'audio_mask'")]
    [InlineData("timestamps", "missing array 'timestamps'")]
    public void MissingArrayNamesFileAndArray(string dropped, string expected)
    {
        using var dir = new TempFolder();
        var f = TestFeatures.Make("v", 5);
        string path = dir.File("v.npz");
        NpzArchive.Write(path, Arrays(f).Where(a => a.Name != dropped));
        var e = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void WrongRankWrongTypeAndRowCountAreErrors()
    {
        using var dir = new TempFolder();
        var f = TestFeatures.Make("v", 6, 2, 2);
        string path = dir.File("v.npz");

        NpzArchive.Write(path, Arrays(f, visual: NpyArray.Of(f.Visual.ToSingles(), 12)));
        Assert.Contains("array 'visual' has shape (12,); expected two dimensions", Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path)).Message);

        NpzArchive.Write(path, Arrays(f, audio: NpyArray.Of(f.Audio.ToSingles().Select(v => (long)v).ToArray(), 6, 2)));
        Assert.Contains("array 'audio' has dtype int64", Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path)).Message);

        NpzArchive.Write(path, Arrays(f, visual: NpyArray.Of(f.Visual.ToSingles(), 4, 3)));
        Assert.Contains("array 'visual' has 4 rows but timestamps has 6 frames", Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path)).Message);
    }

    [Fact]
    public void CorruptOrTruncatedArchiveNamesTheFile()
    {
        using var dir = new TempFolder();
        string garbage = dir.File("garbage.npz");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 500).Select(i => (byte)(i * 37)).ToArray());
        var e = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(garbage));
        Assert.Equal(garbage, e.File);

        string good = dir.File("good.npz");
        FeatureFile.Save(TestFeatures.Make("good", 200, 8, 8), good);
        byte[] bytes = File.ReadAllBytes(good);
        string truncated = dir.File("truncated.npz");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(truncated));
        Assert.Equal(truncated, e.File);

        var missing = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(dir.File("absent.npz")));
        Assert.Contains("file not found", missing.Message);
    }

    [Fact]
    public void NaNAndInfinityAreReportedWithFrameAndColumn()
    {
        using var dir = new TempFolder();
        var f = TestFeatures.Make("v", 10, 4, 3);
        f.Visual.ToSingles()[3 * 4 + 2] = float.NaN;
        string path = dir.File("nan.npz");
        NpzArchive.Write(path, Arrays(f));
        var e = Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path));
        Assert.Equal(path, e.File);
        Assert.Contains("visual feature is NaN at frame 3, column 2", e.Message);

        var g = TestFeatures.Make("v", 10, 4, 3);
        g.Audio.ToSingles()[7 * 3 + 1] = float.PositiveInfinity;
        NpzArchive.Write(path, Arrays(g));
        Assert.Contains("audio feature is +Inf at frame 7, column 1", Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path)).Message);
    }

    [Fact]
    public void FailedSaveLeavesTheExistingFileIntactAndNoTemporaryFile()
    {
        using var dir = new TempFolder();
        string path = dir.File("v.npz");
        FeatureFile.Save(TestFeatures.Make("v", 20), path);
        byte[] before = File.ReadAllBytes(path);

        var bad = TestFeatures.Make("v", 20);
        bad.Audio.ToSingles()[5] = float.NaN;
        Assert.Throws<AffectFuseException>(() => FeatureFile.Save(bad, path));
        Assert.Equal(before, File.ReadAllBytes(path));

        // A failure half-way through writing the archive.
        IEnumerable<(string, NpyArray)> Failing()
        {
            yield return ("visual", NpyArray.Of(new float[1000], 100, 10));
            throw new IOException("disk full");
        }
        // A write fault is reported as one line naming the file, like every other bad outcome of a user's run.
        var e = Assert.Throws<AffectFuseException>(() => NpzArchive.Write(path, Failing()));
        Assert.Equal(path, e.File);
        Assert.Contains("disk full", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        Assert.Equal(20, FeatureFile.Load(path).FrameCount);
    }

    [Fact]
    public void BadMetaJsonIsAnError()
    {
        using var dir = new TempFolder();
        var f = TestFeatures.Make("v", 3);
        string path = dir.File("v.npz");
        NpzArchive.Write(path, Arrays(f).Append(("meta", NpyArray.Scalar("{not json"))));
        Assert.Contains("array 'meta' is not valid feature metadata JSON", Assert.Throws<AffectFuseException>(() => FeatureFile.Load(path)).Message);
    }

    /// <summary>The five required arrays of <paramref name="f"/>, optionally with replaced feature arrays; no meta.</summary>
    private static IEnumerable<(string Name, NpyArray Array)> Arrays(VideoFeatures f, NpyArray? visual = null, NpyArray? audio = null)
    {
        int t = f.FrameCount;
        yield return ("visual", visual ?? NpyArray.Of(f.Visual.ToSingles(), t, f.VisualDim));
        yield return ("visual_mask", NpyArray.Of(f.VisualMask, t));
        yield return ("audio", audio ?? NpyArray.Of(f.Audio.ToSingles(), t, f.AudioDim));
        yield return ("audio_mask", NpyArray.Of(f.AudioMask, t));
        yield return ("timestamps", NpyArray.Of(f.Timestamps, t));
    }
}
