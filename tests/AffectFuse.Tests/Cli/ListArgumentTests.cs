using AffectFuse.Cli;
using Xunit;

namespace AffectFuse.Tests.Cli;

public class ListArgumentTests
{
    [Fact]
    public void PartsAreTrimmedAndEmptyOnesDropped()
    {
        Assert.Equal(["03", "08"], ListArgument.Names(" 03, ,08 "));
        Assert.Equal([0.5, 1, 2], ListArgument.Numbers("0.5, 1,2,", "--x"));
        Assert.Equal([32, 64], ListArgument.Integers("32,64", "--sweep-windows"));
    }

    [Theory]
    [InlineData("32,abc", "--sweep-windows: 'abc' is not a whole number")]
    [InlineData("32,1.5", "--sweep-windows: '1.5' is not a whole number")]
    [InlineData(" , ", "--sweep-windows: ' , ' holds no value; give a comma-separated list")]
    public void ABadPartIsOneLineNamingTheOptionAndThePart(string text, string message)
        => Assert.Equal(message, Assert.Throws<AffectFuseException>(() => ListArgument.Integers(text, "--sweep-windows")).Message);

    [Fact]
    public void TheProgramStartsItselfAsItWasStarted()
    {
        string[] self = SelfCommand.Prefix();
        Assert.True(File.Exists(self[0]), self[0]);
        // Under the test host the program is 'dotnet' with the CLI's dll after it, or an apphost alone.
        if (Path.GetFileNameWithoutExtension(self[0]) == "dotnet")
            Assert.EndsWith("AffectFuse.Cli.dll", self[1]);
        else
            Assert.Single(self);
    }
}
