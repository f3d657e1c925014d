using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Tests.Data;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>`affectfuse train` on each kind of bad input: exit code 2, one line naming the file and the problem, and an
/// earlier run's checkpoint in the output folder left byte-for-byte as it was.</summary>
public class TrainCommandBadInputTests
{
    private const int Frames = 80;

    public static TheoryData<string, string> Cases => new()
    {
        { "nan-feature", "NaN" },
        { "wrong-width", "width" },
        { "empty-labels", "empty" },
        { "header-only-labels", "no frames" },
        { "label-out-of-range", "line 5" },
        { "missing-features", "feature" },
        { "fewer-labels", "frames" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputIsOneClearLineAndDamagesNothing(string kind, string expected)
    {
        using var folder = new TempFolder();
        string features = folder.Folder("features"), train = folder.Folder("train"), val = folder.Folder("val"), run = folder.Folder("run");
        foreach (var (id, labels) in new[] { ("a", train), ("b", train), ("c", val) })
        {
            FeatureFile.Save(TestFeatures.Make(id, Frames), Path.Combine(features, id + ".npz"));
            ExprLabelFile.Write(Path.Combine(labels, id + ".txt"), Enumerable.Range(0, Frames).Select(t => t / 10 % 8).ToArray());
        }
        string culprit = Break(kind, features, train);
        string earlier = Path.Combine(run, "best.ckpt");
        File.WriteAllBytes(earlier, [1, 2, 3, 4]);

        var (code, error) = CommandLine.Run(TrainCommand.Create(), "--features", features, "--train-labels", train, "--val-labels", val, "--out", run, "--epochs", "1");

        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:")).ToArray();
        Assert.Equal(CommandRunner.BadInput, code);
        var line = Assert.Single(lines);
        Assert.Contains(Path.GetFileName(culprit), line);
        Assert.Contains(expected, line, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(earlier));
    }

    // Damages one input the way real data goes wrong and returns the file the error must name.
    private static string Break(string kind, string features, string train)
    {
        string npz = Path.Combine(features, "b.npz"), labels = Path.Combine(train, "b.txt");
        switch (kind)
        {
            case "nan-feature":
            {
                var f = TestFeatures.Make("b", Frames);
                var visual = f.Visual.ToSingles().ToArray();
                visual[17] = float.NaN;
                // Written around FeatureFile.Save, which refuses NaN: another tool produced this file.
                NpzArchive.Write(npz, [("visual", NpyArray.Of(visual, Frames, f.VisualDim)), ("visual_mask", NpyArray.Of(f.VisualMask, Frames)),
                    ("audio", NpyArray.Of(f.Audio.ToSingles(), Frames, f.AudioDim)), ("audio_mask", NpyArray.Of(f.AudioMask, Frames)), ("timestamps", NpyArray.Of(f.Timestamps, Frames))]);
                return npz;
            }
            case "wrong-width":
                FeatureFile.Save(TestFeatures.Make("b", Frames, visualDim: 6), npz);
                return npz;
            case "empty-labels":
                File.WriteAllText(labels, "");
                return labels;
            case "header-only-labels":
                File.WriteAllText(labels, ExpressionClasses.Header + "\n");
                return labels;
            case "label-out-of-range":
                var lines = File.ReadAllLines(labels);
                lines[4] = "8";
                File.WriteAllLines(labels, lines);
                return labels;
            case "missing-features":
                File.Delete(npz);
                return labels;
            case "fewer-labels":
                ExprLabelFile.Write(labels, new int[Frames - 30]);
                return labels;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
