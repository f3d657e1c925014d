using System.Reflection;
using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Model;
using AffectFuse.Tests;
using Xunit;

namespace AffectFuse.Tests.Cli;

public class OptionFlagsTests
{
    [Fact]
    public void TheLibraryNamesTheOptionsPropertyAndNoFlag()
    {
        var e = Assert.Throws<AffectFuseException>(() => new ModalityDropoutOptions { VisualProbability = 0.7, AudioProbability = 0.6 }.Validate());
        Assert.Equal("ModalityDropoutOptions.VisualProbability", e.Option);
        Assert.Null(e.File);
        Assert.StartsWith("ModalityDropoutOptions.VisualProbability: ModalityDropoutOptions.VisualProbability + ModalityDropoutOptions.AudioProbability must be at most 1", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.DoesNotContain("--", e.Problem);
    }

    [Fact]
    public void TheCommandLineShowsItsFlagsInTheSameMessage()
    {
        var e = Assert.Throws<AffectFuseException>(() => new ModalityDropoutOptions { VisualProbability = 0.7, AudioProbability = 0.6 }.Validate());
        Assert.StartsWith("--p-visual: --p-visual + --p-audio must be at most 1", OptionFlags.Describe(e));
    }

    [Fact]
    public void AnOptionWithoutAFlagIsShownByItsPropertyName()
    {
        var e = Assert.Throws<AffectFuseException>(() => new ModelOptions { Dropout = 2 }.Validate());
        Assert.Equal("ModelOptions.Dropout", e.Option);
        Assert.StartsWith("Dropout: must be in [0, 1)", OptionFlags.Describe(e));
    }

    [Fact]
    public void AWrappedMessageKeepsItsOptionsForTheReader()
    {
        var inner = Assert.Throws<AffectFuseException>(() => new ModelOptions { Width = 30, Heads = 4 }.Validate());
        var outer = new AffectFuseException("run.ckpt", $"checkpoint holds invalid options: {inner.Marked}", inner);
        Assert.Equal("run.ckpt: checkpoint holds invalid options: ModelOptions.Width: must be a multiple of the 4 attention heads, got 30", outer.Message);
        Assert.Equal("run.ckpt: checkpoint holds invalid options: --width: must be a multiple of the 4 attention heads, got 30", OptionFlags.Describe(outer));
    }

    [Fact]
    public void EveryMappedOptionIsARealSettingOfTheLibrary()
    {
        var types = typeof(AffectFuseException).Assembly.GetTypes().ToLookup(t => t.Name);
        Assert.NotEmpty(OptionFlags.Mapped);
        foreach (string option in OptionFlags.Mapped)
        {
            string[] parts = option.Split('.');
            Assert.True(parts.Length == 2, option);
            // A record's property, or (for a setting a method takes) one of its parameters.
            bool exists = types[parts[0]].Any(t => t.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is not null
                || t.GetMethods().Any(m => m.GetParameters().Any(p => string.Equals(p.Name, parts[1], StringComparison.OrdinalIgnoreCase))));
            Assert.True(exists, $"{option} names no property or parameter of a library type");
        }
    }

    [Fact]
    public void TheToolStillSaysItsFlags()
    {
        using var dir = new TempFolder();
        var run = CommandLine.Run(SynthCommand.Create(), "--out", dir.File("s"), "--min-frames", "100", "--max-frames", "50");
        Assert.Equal(2, run.Code);
        Assert.Equal("error: --max-frames: must be between 100 and 10000000 (at least --min-frames), got 50", run.Error.Trim());
    }
}
