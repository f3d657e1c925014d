using System.CommandLine;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class BenchComposeCommandTests
{
    private static int Invoke(params string[] args) =>
        CommandLine.Run(new RootCommand { new Command("bench") { BenchComposeCommand.Create() } }, args).Code;

    [Fact]
    public void ComposesFromTheCommandLineWithTheGivenOptions()
    {
        using var tmp = new TempFolder();
        string data = FakeComposeData.Create(tmp["data"]);
        int code = Invoke("bench", "compose", "--data", data, "--out", tmp["out"], "--seed", "9",
            "--train-clips", "1", "--validation-clips", "0", "--test-clips", "0", "--min-seconds", "2", "--max-seconds", "2",
            "--min-segment", "1", "--max-segment", "2", "--width", "96", "--height", "64", "--fps", "10",
            "--class-prior", "1,1,0,0,1,0,1,1", "--class-floor", "0", "--noise", "White",
            "--train-speakers", "03,08", "--validation-speakers", "12", "--test-speakers", "15");
        Assert.Equal(0, code);
        var manifest = ComposeManifest.Read(Path.Combine(tmp["out"], "compose.json"));
        Assert.Equal(9, manifest.Seed);
        Assert.Equal(NoiseKind.White, manifest.Options.Noise);
        Assert.Equal(20, manifest.Clips.Single().Frames);
        Assert.Equal(20, MediaProbe.DecodedFrames(Path.Combine(tmp["out"], "videos", "train", "train_000.mp4")));
    }

    [Fact]
    public void MissingDataFolderExitsWithBadInput()
    {
        using var tmp = new TempFolder();
        Assert.Equal(CommandRunner.BadInput, Invoke("bench", "compose", "--data", tmp["missing"], "--out", tmp["out"]));
    }
}
