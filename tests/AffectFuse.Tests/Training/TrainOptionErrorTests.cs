using System.Text.Json;
using AffectFuse.Benchmarks;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Tests.Data;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>Bad training options are one `error: --OPTION: PROBLEM` line with the allowed range and exit code 2, said
/// before any feature file is read (a data set here holds a NaN that loading would report first).</summary>
public class TrainOptionErrorTests
{
    public static TheoryData<string[], string, string> Cases => new()
    {
        { ["--window", "2000"], "--window", "between 1 and 1024" },
        { ["--window", "0"], "--window", "between 1 and 1024" },
        { ["--stride", "-1"], "--stride", "between 1 and 128" },
        { ["--stride", "200"], "--stride", "between 1 and 128" },
        { ["--batch", "0"], "--batch", "between 1 and" },
        { ["--epochs", "0"], "--epochs", "between 1 and" },
        { ["--lr", "-1"], "--lr", "above 0" },
        { ["--lr", "NaN"], "--lr", "above 0" },
        { ["--width", "7"], "--width", "multiple of the 4 attention heads" },
        { ["--layers", "-1"], "--layers", "between 0 and 64" },
        { ["--p-visual", "1.5"], "--p-visual", "[0, 1]" },
        { ["--p-visual", "1", "--p-audio", "1"], "--p-visual", "at most 1" },
        { ["--gamma", "-2"], "--gamma", "at least 0" },
        { ["--label-smoothing", "1"], "--label-smoothing", "[0, 1)" },
        { ["--label-smoothing", "NaN"], "--label-smoothing", "[0, 1)" },
        { ["--mixup", "-0.5"], "--mixup", "[0, 100]" },
    };

    // A training video whose features hold a NaN (loading refuses it) and a sound validation video: the train
    // command's data arguments.
    private static string[] DataSetWithANaN(TempFolder folder)
    {
        string features = folder.Folder("features"), train = folder.Folder("train"), val = folder.Folder("val");
        var broken = TestFeatures.Make("a", 40);
        broken.Visual.ToSingles()[5] = float.NaN;
        FeatureFile.Save(TestFeatures.Make("b", 40), Path.Combine(features, "b.npz"));
        NpzArchive.Write(Path.Combine(features, "a.npz"), [("visual", broken.Visual.ToNpy()), ("visual_mask", NpyArray.Of(broken.VisualMask, 40)),
            ("audio", broken.Audio.ToNpy()), ("audio_mask", NpyArray.Of(broken.AudioMask, 40)), ("timestamps", NpyArray.Of(broken.Timestamps, 40))]);
        ExprLabelFile.Write(Path.Combine(train, "a.txt"), new int[40]);
        ExprLabelFile.Write(Path.Combine(val, "b.txt"), new int[40]);
        return ["--features", features, "--train-labels", train, "--val-labels", val];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadOptionIsOneLineNamingItBeforeAnyDataIsRead(string[] bad, string option, string range)
    {
        using var folder = new TempFolder();
        string run = Path.Combine(folder.Path, "run");

        var (code, error) = CommandLine.Run(TrainCommand.Create(), [.. DataSetWithANaN(folder), "--out", run, .. bad]);

        Assert.Equal(CommandRunner.BadInput, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option}: ", line);
        Assert.Contains(range, line);
        Assert.Contains("got", line);
        Assert.False(Directory.Exists(run), "the run folder was created");
    }

    [Fact]
    public void TheLevelReferenceUnderTheWindowNormIsWarnedOfBeforeAnyDataIsRead()
    {
        using var folder = new TempFolder();

        var (code, error) = CommandLine.Run(TrainCommand.Create(), [.. DataSetWithANaN(folder),
            "--out", Path.Combine(folder.Path, "run"), "--audio-level-reference", "--audio-window-norm"]);

        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("warning: --audio-level-reference: has no effect with --audio-window-norm", lines[0]);
        // Then the data is read, and its NaN refused as before.
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.StartsWith("error: ", lines[^1]);
    }

    [Theory]
    [InlineData(new string[0], 128, 64)]
    [InlineData(new[] { "--window", "32" }, 32, 16)]
    [InlineData(new[] { "--window", "33" }, 33, 16)]
    [InlineData(new[] { "--window", "1" }, 1, 1)]
    [InlineData(new[] { "--window", "32", "--stride", "32" }, 32, 32)]
    [InlineData(new[] { "--stride", "100" }, 128, 100)]
    public void TheStrideFollowsTheWindowUnlessGiven(string[] args, int window, int stride)
    {
        var arguments = new TrainingArguments();
        var command = new System.CommandLine.Command("train");
        arguments.AddTo(command);

        var options = arguments.Resolve(command.Parse(args));

        Assert.Equal((window, stride), (options.Window, options.Stride));
        Assert.Equal(window, options.Validation.Window);
        Assert.InRange(options.Validation.Stride, 1, window);
    }

    [Theory]
    [InlineData(new[] { "--class-weighting", "Foo", "--out", "x" }, "error: --class-weighting: 'Foo' is not one of Uniform, InverseFrequency")]
    [InlineData(new[] { "--window", "abc", "--out", "x" }, "error: --window: 'abc' is not a whole number")]
    [InlineData(new[] { "--epochs", "3" }, "error: --out: ")]
    [InlineData(new[] { "--out", "x", "--bogus" }, "error: Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "--out", "x", "--config", "/nonexistent/run.options.json", "--features", "/tmp", "--train-labels", "/tmp", "--val-labels", "/tmp" },
        "error: /nonexistent/run.options.json: config file not found")]
    public void WhatTheParserRejectsIsOneLineAndExitCode2NotTheHelp(string[] args, string expected)
    {
        var (code, error) = CommandLine.Run(TrainCommand.Create(), args);
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.StartsWith(expected, Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void BenchTrainWritesAndTrainsOnAnAffWild2ShapedSetAndReportsItsFigures()
    {
        using var folder = new TempFolder();
        string json = Path.Combine(folder.Path, "bench.json");
        var (code, error) = CommandLine.Run(BenchTrainCommand.Create(), "--work", folder.Path, "--train-videos", "3", "--val-videos", "2",
            "--train-frames", "6000", "--val-frames", "400", "--visual-dim", "24", "--audio-dim", "16", "--window", "32", "--stride", "32",
            "--random-phase", "--model-seconds", "0.2", "--json", json);
        Assert.True(code == 0, error);

        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(6000, report.GetProperty("TrainFrames").GetInt64());
        Assert.Equal(400, report.GetProperty("ValidationFrames").GetInt64());
        // float16 on disk and in memory: 2 bytes a value, plus the .npy headers on disk.
        long values = (6000 + 400) * (24 + 16);
        Assert.Equal(2 * values, report.GetProperty("FeatureMemoryBytes").GetInt64());
        Assert.InRange(report.GetProperty("FeatureFileBytes").GetInt64(), 2 * values, 2 * values + 10 * 128);
        Assert.True(report.GetProperty("ModelFramesPerSecond").GetDouble() > 0);
        Assert.Equal("Float16", report.GetProperty("Features").GetProperty("DType").GetString());
        Assert.Equal(24, report.GetProperty("Features").GetProperty("Visual").GetInt32());
        var epoch = report.GetProperty("Epoch");
        Assert.True(epoch.GetProperty("TrainingFrames").GetInt64() >= 6000);
        Assert.True(epoch.GetProperty("TrainingSeconds").GetDouble() > 0);

        // The generated set is the one a user can also train on directly, and a second run reuses it.
        var (train, validation) = AffWild2ShapedData.Sources(Path.Combine(folder.Path, "data"));
        var videos = DatasetLoader.LoadLabelled(train);
        Assert.Equal(3, videos.Count);
        Assert.All(videos, v => Assert.Equal(NpyDType.Float16, v.Features.Visual.DType));
        Assert.Contains(videos.SelectMany(v => v.Labels), l => l == -1);
        Assert.Contains(videos, v => v.Features.VisualMask.Contains(false));
        Assert.Equal(400, DatasetLoader.LoadLabelled(validation).Sum(v => v.Features.FrameCount));
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(train.VisualNpyDir!, "train-0000.npy"));
        AffWild2ShapedData.Ensure(Path.Combine(folder.Path, "data"), new AffWild2Shape
        {
            TrainVideos = 3, ValidationVideos = 2, TrainFrames = 6000, ValidationFrames = 400, VisualDim = 24, AudioDim = 16,
        });
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(train.VisualNpyDir!, "train-0000.npy")));

        // A folder that holds someone else's files is never cleared to make room.
        string theirs = Path.Combine(folder.Path, "theirs");
        Directory.CreateDirectory(Path.Combine(theirs, "data", "visual"));
        File.WriteAllText(Path.Combine(theirs, "data", "visual", "mine.npy"), "x");
        var (refused, message) = CommandLine.Run(BenchTrainCommand.Create(), "--work", theirs, "--train-videos", "2", "--val-videos", "1",
            "--train-frames", "100", "--val-frames", "50", "--visual-dim", "4", "--audio-dim", "4");
        Assert.Equal(CommandRunner.BadInput, refused);
        Assert.Contains("did not write", message);
        Assert.True(File.Exists(Path.Combine(theirs, "data", "visual", "mine.npy")));
    }
}
