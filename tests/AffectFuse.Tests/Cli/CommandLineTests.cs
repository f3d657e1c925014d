using Xunit;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;

namespace AffectFuse.Tests.Cli;

/// <summary>Argument checks of 'evaluate' and 'infer' that fail before any checkpoint or feature file is read.</summary>
public class CommandLineTests
{
    private static (int Code, string Error) Run(System.CommandLine.Command command, params string[] args) => CommandLine.Run(command, args);

    [Fact]
    public void InferNeedsOneFeatureSource()
    {
        var (code, error) = Run(InferCommand.Create(), "--model", "m.ckpt", "--out", "o");
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains("no features given", error);
        Assert.Contains("--features", error);
    }

    [Fact]
    public void MissingFoldersAndCheckpointAreNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "affectfuse-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var (code, error) = Run(EvaluateCommand.Create(), "--model", "m.ckpt", "--features", missing, "--labels", ".");
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains($"{missing}: folder does not exist", error);
        (code, error) = Run(EvaluateCommand.Create(), "--model", "m.ckpt", "--features", ".", "--labels", missing);
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains($"{missing}: label folder does not exist", error);

        string ckpt = Path.Combine(Path.GetTempPath(), "affectfuse-no-such-" + Guid.NewGuid().ToString("N") + ".ckpt");
        (code, error) = Run(EvaluateCommand.Create(), "--model", ckpt, "--features", ".", "--labels", ".");
        Assert.Equal(CommandRunner.BadInput, code);
        Assert.Contains($"{ckpt}: checkpoint not found", error);
    }
}
