using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class DatasetLoaderTests
{
    [Fact]
    public void PairsLabelFilesWithNpzFeaturesAndAlignsCounts()
    {
        using var dir = new TempFolder();
        string features = dir.Folder("features"), labels = dir.Folder("labels");
        FeatureFile.Save(TestFeatures.Make("b", 10), Path.Combine(features, "b.npz"));
        FeatureFile.Save(TestFeatures.Make("a", 8), Path.Combine(features, "a.npz"));
        FeatureFile.Save(TestFeatures.Make("unlabelled", 4), Path.Combine(features, "unlabelled.npz"));
        ExprLabelFile.Write(Path.Combine(labels, "b.txt"), Enumerable.Repeat(4, 11).ToArray()); // organisers' +1
        ExprLabelFile.Write(Path.Combine(labels, "a.txt"), [0, 1, 2, 3, 4, 5, 6, 7]);

        var warnings = new List<string>();
        var videos = DatasetLoader.LoadLabelled(new DatasetSource { FeaturesDir = features, LabelsDir = labels }, warnings.Add);
        Assert.Equal(new[] { "a", "b" }, videos.Select(v => v.VideoId));
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, videos[0].Labels);
        Assert.Equal(10, videos[1].Labels.Length);
        string w = Assert.Single(warnings);
        Assert.Contains("b.txt", w);
        Assert.Contains("last 1 frame", w);

        var all = DatasetLoader.LoadFeatures(new DatasetSource { FeaturesDir = features }).ToList();
        Assert.Equal(new[] { "a", "b", "unlabelled" }, all.Select(f => f.VideoId));
    }

    [Fact]
    public void FrameToleranceComesFromTheSource()
    {
        using var dir = new TempFolder();
        string features = dir.Folder("features"), labels = dir.Folder("labels");
        FeatureFile.Save(TestFeatures.Make("a", 10), Path.Combine(features, "a.npz"));
        ExprLabelFile.Write(Path.Combine(labels, "a.txt"), new int[9]);
        var strict = new DatasetSource { FeaturesDir = features, LabelsDir = labels, FrameTolerance = 0 };
        var e = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadLabelled(strict));
        Assert.Contains("9 labelled frames", e.Message);
        Assert.Equal(10, DatasetLoader.LoadLabelled(strict with { FrameTolerance = 1 })[0].Labels.Length);
    }

    [Fact]
    public void LabelledVideoWithoutFeaturesNamesLabelFileAndExpectedPath()
    {
        using var dir = new TempFolder();
        string features = dir.Folder("features"), labels = dir.Folder("labels");
        FeatureFile.Save(TestFeatures.Make("a", 5), Path.Combine(features, "a.npz"));
        ExprLabelFile.Write(Path.Combine(labels, "a.txt"), new int[5]);
        ExprLabelFile.Write(Path.Combine(labels, "c.txt"), new int[5]);
        var e = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadLabelled(new DatasetSource { FeaturesDir = features, LabelsDir = labels }));
        Assert.Equal(Path.Combine(labels, "c.txt"), e.File);
        Assert.Contains(Path.Combine(features, "c.npz"), e.Message);
    }

    [Fact]
    public void FeatureWidthsMustAgreeAcrossVideos()
    {
        using var dir = new TempFolder();
        string features = dir.Folder("features");
        FeatureFile.Save(TestFeatures.Make("a", 5, visualDim: 4), Path.Combine(features, "a.npz"));
        FeatureFile.Save(TestFeatures.Make("b", 5, visualDim: 6), Path.Combine(features, "b.npz"));
        var e = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadFeatures(new DatasetSource { FeaturesDir = features }).ToList());
        Assert.Equal(Path.Combine(features, "b.npz"), e.File);
        Assert.Contains("visual feature width 6, expected 4", e.Message);
    }

    [Fact]
    public void EmptyOrMissingFoldersAreErrors()
    {
        using var dir = new TempFolder();
        string empty = dir.Folder("empty");
        Assert.Contains("no feature files", Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadFeatures(new DatasetSource { FeaturesDir = empty })).Message);
        Assert.Contains("no annotation files", Assert.Throws<AffectFuseException>(
            () => DatasetLoader.LoadLabelled(new DatasetSource { FeaturesDir = empty, LabelsDir = empty })).Message);
        var missing = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadFeatures(new DatasetSource { VisualNpyDir = dir.File("nope") }));
        Assert.Equal(dir.File("nope"), missing.File);
        Assert.Contains("folder not found", missing.Message);
        Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadFeatures(new DatasetSource()));
    }

    [Fact]
    public void NaNInAnNpyFeatureFileNamesFileFrameAndColumn()
    {
        using var dir = new TempFolder();
        string visual = dir.Folder("visual");
        var values = new float[5 * 3];
        values[4 * 3 + 1] = float.NaN;
        NpyFormat.Write(Path.Combine(visual, "v.npy"), NpyArray.Of(values, 5, 3));
        var e = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadFeatures(new DatasetSource { VisualNpyDir = visual }).ToList());
        Assert.Equal(Path.Combine(visual, "v.npy"), e.File);
        Assert.Contains("NaN at frame 4, column 1", e.Message);
    }

    [Fact]
    public void BringYourOwnNpyFoldersWithFloat16AndSharedTwoPersonAudio()
    {
        using var dir = new TempFolder();
        string visual = dir.Folder("beit"), audio = dir.Folder("wavlm"), labels = dir.Folder("labels");
        // Visual float16, 6 frames x 2; frame 2 has no face (all zeros).
        Half[] Visual(float k) => Enumerable.Range(0, 12).Select(i => i / 2 == 2 ? Half.Zero : (Half)(k + i * 0.25f)).ToArray();
        NpyFormat.Write(Path.Combine(visual, "X_left.npy"), NpyArray.Of(Visual(1), 6, 2));
        NpyFormat.Write(Path.Combine(visual, "X_right.npy"), NpyArray.Of(Visual(-1), 6, 2));
        // One audio track for both people, 7 rows x 3 (one row too many); row 0 silent.
        var track = Enumerable.Range(0, 21).Select(i => i < 3 ? 0f : i * 0.5f).ToArray();
        NpyFormat.Write(Path.Combine(audio, "X.npy"), NpyArray.Of(track, 7, 3));
        ExprLabelFile.Write(Path.Combine(labels, "X_left.txt"), [1, 1, 1, 2, 2, 2]);
        ExprLabelFile.Write(Path.Combine(labels, "X_right.txt"), [4, 4, 4, 4, 4, 4, 4]);

        var warnings = new List<string>();
        var source = new DatasetSource { VisualNpyDir = visual, AudioNpyDir = audio, LabelsDir = labels, Fps = 25 };
        var videos = DatasetLoader.LoadLabelled(source, warnings.Add);

        Assert.Equal(new[] { "X_left", "X_right" }, videos.Select(v => v.VideoId));
        var left = videos[0].Features;
        Assert.Equal(Visual(1).Select(h => (float)h).ToArray(), left.Visual.ToSingles());
        // float16 files stay float16 in memory (2 bytes a value); float32 stays float32.
        Assert.Equal(NpyDType.Float16, left.Visual.DType);
        Assert.Equal(12 * 2, left.Visual.ByteCount);
        Assert.Equal(NpyDType.Float32, left.Audio.DType);
        Assert.Equal(new[] { true, true, false, true, true, true }, left.VisualMask);
        Assert.Equal(track[..18], left.Audio.ToSingles());
        Assert.Equal(new[] { false, true, true, true, true, true }, left.AudioMask);
        Assert.Equal(videos[1].Features.Audio.ToSingles(), left.Audio.ToSingles());
        Assert.Equal(new[] { 0, 0.04, 0.08, 0.12, 0.16, 0.2 }, left.Timestamps);
        Assert.Equal((2, 3), (left.VisualDim, left.AudioDim));
        Assert.Equal(6, videos[1].Labels.Length);
        Assert.Contains(warnings, w => w.Contains("X.npy") && w.Contains("7 audio rows for 6 visual rows") && w.Contains("dropped the last 1"));
        Assert.Contains(warnings, w => w.Contains("X_right.txt") && w.Contains("last 1 frame"));
    }

    [Fact]
    public void ShortAudioIsPaddedWithMaskedZeroRows()
    {
        using var dir = new TempFolder();
        string visual = dir.Folder("v"), audio = dir.Folder("a");
        NpyFormat.Write(Path.Combine(visual, "x.npy"), NpyArray.Of(Enumerable.Repeat(1f, 8).ToArray(), 4, 2));
        NpyFormat.Write(Path.Combine(audio, "x.npy"), NpyArray.Of(new[] { 1f, 2f }, 2, 1));
        var warnings = new List<string>();
        var f = DatasetLoader.LoadFeatures(new DatasetSource { VisualNpyDir = visual, AudioNpyDir = audio }, warnings.Add).Single();
        Assert.Equal(new[] { 1f, 2f, 0f, 0f }, f.Audio.ToSingles());
        Assert.Equal(new[] { true, true, false, false }, f.AudioMask);
        Assert.Contains("padded 2 missing audio rows", Assert.Single(warnings));
    }

    [Fact]
    public void MissingModalityFolderGivesOneMaskedZeroColumn()
    {
        using var dir = new TempFolder();
        string visual = dir.Folder("v");
        NpyFormat.Write(Path.Combine(visual, "b.npy"), NpyArray.Of(Enumerable.Repeat((Half)0.5f, 6).ToArray(), 3, 2));
        NpyFormat.Write(Path.Combine(visual, "a.npy"), NpyArray.Of(Enumerable.Repeat(0.5f, 6).ToArray(), 3, 2));
        var all = DatasetLoader.LoadFeatures(new DatasetSource { VisualNpyDir = visual, Fps = 30 }).ToList();
        Assert.Equal(new[] { "a", "b" }, all.Select(f => f.VideoId));
        foreach (var f in all)
        {
            Assert.Equal(1, f.AudioDim);
            Assert.Equal(new float[3], f.Audio.ToSingles());
            Assert.All(f.AudioMask, Assert.False);
            Assert.All(f.VisualMask, Assert.True);
            Assert.Equal("none", f.Meta.AudioFeatures);
        }

        string audioOnly = dir.Folder("a");
        NpyFormat.Write(Path.Combine(audioOnly, "z.npy"), NpyArray.Of(new[] { 1f, 0f }, 2, 1));
        var z = DatasetLoader.LoadFeatures(new DatasetSource { AudioNpyDir = audioOnly }).Single();
        Assert.Equal((1, 1, 2), (z.VisualDim, z.AudioDim, z.FrameCount));
        Assert.All(z.VisualMask, Assert.False);
        Assert.Equal(new[] { true, false }, z.AudioMask);
    }

    [Fact]
    public void LabelledVideoMissingItsAudioFileNamesTheTriedPaths()
    {
        using var dir = new TempFolder();
        string visual = dir.Folder("v"), audio = dir.Folder("a"), labels = dir.Folder("l");
        NpyFormat.Write(Path.Combine(visual, "Y_left.npy"), NpyArray.Of(new[] { 1f, 1f }, 2, 1));
        ExprLabelFile.Write(Path.Combine(labels, "Y_left.txt"), [0, 0]);
        var e = Assert.Throws<AffectFuseException>(() => DatasetLoader.LoadLabelled(new DatasetSource { VisualNpyDir = visual, AudioNpyDir = audio, LabelsDir = labels }));
        Assert.Equal(Path.Combine(labels, "Y_left.txt"), e.File);
        Assert.Contains(Path.Combine(audio, "Y_left.npy") + " or " + Path.Combine(audio, "Y.npy"), e.Message);
    }
}
