using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using Xunit;

namespace AffectFuse.Tests.Data;

public class SyntheticDatasetTests
{
    private static readonly SyntheticOptions Small = new()
    {
        TrainVideos = 4,
        ValidationVideos = 2,
        TwoPersonPairs = 1,
        MinFrames = 150,
        MaxFrames = 250,
        VisualDim = 6,
        AudioDim = 5,
    };

    [Fact]
    public void SameSeedSameBytesDifferentSeedDifferentData()
    {
        using var dir = new TempFolder();
        var a = SyntheticDataset.Generate(Small, dir.Folder("a"));
        SyntheticDataset.Generate(Small, dir.Folder("b"));
        var c = SyntheticDataset.Generate(Small with { Seed = 2 }, dir.Folder("c"));

        var filesA = RelativeFiles(dir.File("a"));
        Assert.Equal(4 + 2 + 6, filesA.Count);
        Assert.Equal(filesA, RelativeFiles(dir.File("b")));
        foreach (string f in filesA)
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("a"), f)), File.ReadAllBytes(Path.Combine(dir.File("b"), f)));

        var firstA = FeatureFile.Load(Path.Combine(a.FeaturesDir, a.TrainVideoIds[0] + ".npz"));
        var firstC = FeatureFile.Load(Path.Combine(c.FeaturesDir, c.TrainVideoIds[0] + ".npz"));
        Assert.NotEqual(firstA.Visual.ToSingles().Take(50), firstC.Visual.ToSingles().Take(50));

        // Regenerating into the same folder is idempotent.
        SyntheticDataset.Generate(Small, dir.File("a"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("a"), filesA[0])), File.ReadAllBytes(Path.Combine(dir.File("b"), filesA[0])));
    }

    [Fact]
    public void WritesTheAffWild2LayoutThatTheLoaderReads()
    {
        using var dir = new TempFolder();
        var s = SyntheticDataset.Generate(Small with { SurplusLabelVideos = 1 }, dir.Path);
        Assert.Equal(Path.Combine(dir.Path, "EXPR_Recognition_Challenge", "Train_Set"), s.TrainLabelsDir);
        Assert.Equal(Path.Combine(dir.Path, "EXPR_Recognition_Challenge", "Validation_Set"), s.ValidationLabelsDir);
        Assert.Equal(Path.Combine(dir.Path, "features"), s.FeaturesDir);

        var warnings = new List<string>();
        var train = DatasetLoader.LoadLabelled(s.TrainSource, warnings.Add);
        var validation = DatasetLoader.LoadLabelled(s.ValidationSource, warnings.Add);
        Assert.Equal(s.TrainVideoIds, train.Select(v => v.VideoId));
        Assert.Equal(s.ValidationVideoIds, validation.Select(v => v.VideoId));
        Assert.Equal(s.TrainFrames, train.Sum(v => (long)v.Labels.Length));
        Assert.Single(warnings); // the one surplus-label video
        Assert.All(train.Concat(validation), v =>
        {
            Assert.InRange(v.Features.FrameCount, 150, 250);
            Assert.All(v.Labels, l => Assert.InRange(l, -1, 7));
            Assert.Equal((6, 5), (v.Features.VisualDim, v.Features.AudioDim));
        });

        var left = train.Single(v => v.VideoId.EndsWith("_left")).Features;
        var right = train.Single(v => v.VideoId.EndsWith("_right")).Features;
        Assert.Equal(left.VideoId[..^5], right.VideoId[..^6]);
        Assert.Equal(left.Audio.ToSingles(), right.Audio.ToSingles());
        Assert.Equal(left.AudioMask, right.AudioMask);
        Assert.NotEqual(left.Visual.ToSingles(), right.Visual.ToSingles());

        // Rows without a face or audio are zero, and only those.
        foreach (var f in train.Select(v => v.Features))
        {
            for (int t = 0; t < f.FrameCount; t++)
            {
                Assert.Equal(!f.VisualMask[t], f.Visual.ToSingles().AsSpan(t * f.VisualDim, f.VisualDim).IndexOfAnyExcept(0f) < 0);
                Assert.Equal(!f.AudioMask[t], f.Audio.ToSingles().AsSpan(t * f.AudioDim, f.AudioDim).IndexOfAnyExcept(0f) < 0);
            }
        }
    }

    [Fact]
    public void DefaultSizesFollowTheLongTailAndMissingRates()
    {
        using var dir = new TempFolder();
        var o = new SyntheticOptions();
        var s = SyntheticDataset.Generate(o, dir.Path);
        Assert.Equal(24, s.TrainVideoIds.Count);
        Assert.Equal(8, s.ValidationVideoIds.Count);
        Assert.InRange(s.TrainFrames, 24 * 600, 24 * 1800);
        for (int c = 0; c < 8; c++)
        {
            Assert.InRange(s.TrainClassShares[c], o.ClassShares[c] - 0.01, o.ClassShares[c] + 0.01);
            Assert.InRange(s.ValidationClassShares[c], o.ClassShares[c] - 0.015, o.ClassShares[c] + 0.015);
            Assert.True(s.ValidationClassShares[c] > 0, $"class {c} absent from validation");
        }
        Assert.InRange(s.UnannotatedFraction, 0.015, 0.025);
        Assert.InRange(s.NoFaceFraction, 0.13, 0.17);
        Assert.InRange(s.NoAudioFraction, 0.13, 0.17);

        // Segments persist: a label changes on only a small fraction of frames.
        var labels = ExprLabelFile.Read(Path.Combine(s.TrainLabelsDir, s.TrainVideoIds[3] + ".txt"));
        int changes = labels.Zip(labels.Skip(1)).Count(p => p.First != p.Second);
        Assert.InRange(changes, 1, labels.Length / 20);
    }

    [Fact]
    public void SomeClassesShowInOneModalityOnly()
    {
        using var dir = new TempFolder();
        var uniform = Small with { TrainVideos = 6, TwoPersonPairs = 0, MinFrames = 900, MaxFrames = 900, ClassShares = [1, 1, 1, 1, 1, 1, 1, 1], VisualDim = 16, AudioDim = 16, VideoOffsetStd = 0, DriftAmplitude = 0 };
        var s = SyntheticDataset.Generate(uniform, dir.Path);
        var videos = DatasetLoader.LoadLabelled(s.TrainSource);
        double[][] visualMeans = ClassMeans(videos, v => (v.Visual.ToSingles(), v.VisualMask, v.VisualDim));
        double[][] audioMeans = ClassMeans(videos, v => (v.Audio.ToSingles(), v.AudioMask, v.AudioDim));
        double Distance(double[][] m, int a, int b) => Math.Sqrt(m[a].Zip(m[b]).Sum(p => (p.First - p.Second) * (p.First - p.Second)));

        const int neutral = 0, disgust = 2, fear = 3, happiness = 4, sadness = 5, surprise = 6;
        // Visually Fear and Sadness look like Neutral; by ear they do not.
        Assert.True(Distance(visualMeans, fear, neutral) < 0.5, $"visual fear-neutral {Distance(visualMeans, fear, neutral)}");
        Assert.True(Distance(visualMeans, sadness, neutral) < 0.5);
        Assert.True(Distance(audioMeans, fear, neutral) > 1.0, $"audio fear-neutral {Distance(audioMeans, fear, neutral)}");
        Assert.True(Distance(audioMeans, sadness, neutral) > 1.0);
        // Disgust and Surprise are the other way round.
        Assert.True(Distance(audioMeans, disgust, neutral) < 0.5);
        Assert.True(Distance(audioMeans, surprise, neutral) < 0.5);
        Assert.True(Distance(visualMeans, disgust, neutral) > 1.0);
        Assert.True(Distance(visualMeans, surprise, neutral) > 1.0);
        // Happiness shows in both.
        Assert.True(Distance(visualMeans, happiness, neutral) > 1.0 && Distance(audioMeans, happiness, neutral) > 1.0);
    }

    [Fact]
    public void RefusesAFolderHoldingOtherVideos()
    {
        using var dir = new TempFolder();
        string stray = Path.Combine(dir.Folder("features"), "someone-else.npz");
        File.WriteAllText(stray, "x");
        var e = Assert.Throws<AffectFuseException>(() => SyntheticDataset.Generate(Small, dir.Path));
        Assert.Contains("someone-else.npz", e.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "EXPR_Recognition_Challenge")));
    }

    [Fact]
    public void SynthCommandWritesTheDataSetAndRejectsBadOptions()
    {
        using var dir = new TempFolder();
        int rc = CommandLine.Run(SynthCommand.Create(), "--out", dir.Path, "--train-videos", "3", "--validation-videos", "1", "--min-frames", "100", "--max-frames", "120", "--seed", "5").Code;
        Assert.Equal(0, rc);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir.Path, "EXPR_Recognition_Challenge", "Train_Set")).Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(dir.Path, "features")).Length);

        int bad = CommandLine.Run(SynthCommand.Create(), "--out", dir.File("other"), "--train-videos", "0").Code;
        Assert.Equal(2, bad);
        Assert.False(Directory.Exists(dir.File("other")));
    }

    private static double[][] ClassMeans(IReadOnlyList<LabelledVideo> videos, Func<VideoFeatures, (float[] Values, bool[] Mask, int Dim)> pick)
    {
        int dim = pick(videos[0].Features).Dim;
        var sums = new double[8][];
        var counts = new long[8];
        for (int c = 0; c < 8; c++) sums[c] = new double[dim];
        foreach (var v in videos)
        {
            var (values, mask, _) = pick(v.Features);
            for (int t = 0; t < v.Labels.Length; t++)
            {
                int c = v.Labels[t];
                if (c < 0 || !mask[t]) continue;
                counts[c]++;
                for (int d = 0; d < dim; d++) sums[c][d] += values[t * dim + d];
            }
        }
        return sums.Select((s, c) => s.Select(x => x / Math.Max(1, counts[c])).ToArray()).ToArray();
    }

    private static List<string> RelativeFiles(string root)
        => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
}
