using System.CommandLine;
using System.Text.Json;
using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Data.Synthetic;
using AffectFuse.IO;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Ablation;

public class BenchAblateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "affectfuse-ablate-cli-" + Guid.NewGuid().ToString("N"));

    private static int Invoke(params string[] args) =>
        CommandLine.Run(new RootCommand { new Command("bench") { BenchAblateCommand.Create() } }, args).Code;

    [Fact]
    public void RunsASubsetAndWritesTheReports()
    {
        string data = Path.Combine(_root, "data"), output = Path.Combine(_root, "out");
        SyntheticDataset.Generate(new SyntheticOptions { Seed = 2, TrainVideos = 2, ValidationVideos = 1, TestVideos = 1, TwoPersonPairs = 0, MinFrames = 120, MaxFrames = 160 }, data);

        int code = Invoke("bench", "ablate", "--data", data, "--out", output, "--seeds", "1", "--epochs", "1", "--configs", "audio-only",
            "--width", "16", "--window", "32", "--threads", "1");

        Assert.Equal(0, code);
        var report = JsonSerializer.Deserialize<AblationReport>(File.ReadAllText(Path.Combine(output, AblationRunner.JsonFileName)), OptionsJson.Settings)!;
        Assert.Equal(["audio-only"], report.Rows.Select(r => r.Config));
        Assert.Equal(16, report.Options.Training.Model.Width);
        Assert.Equal(32, report.Runs[0].Inference.Window);
        Assert.StartsWith("affectfuse bench ablate --data", report.Command);
        Assert.Contains("| audio-only |", File.ReadAllText(Path.Combine(output, AblationRunner.MarkdownFileName)));
    }

    [Fact]
    public void DataWithoutATestSplitIsBadInput()
    {
        string data = Path.Combine(_root, "notest");
        SyntheticDataset.Generate(new SyntheticOptions { Seed = 2, TrainVideos = 1, ValidationVideos = 1, TwoPersonPairs = 0, MinFrames = 40, MaxFrames = 50 }, data);
        Assert.Equal(CommandRunner.BadInput, Invoke("bench", "ablate", "--data", data, "--out", Path.Combine(_root, "out2")));
        Assert.False(Directory.Exists(Path.Combine(_root, "out2")));
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
