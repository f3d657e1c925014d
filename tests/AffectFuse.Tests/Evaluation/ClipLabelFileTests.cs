using Xunit;
using AffectFuse.Evaluation;

namespace AffectFuse.Tests.Evaluation;

public class ClipLabelFileTests
{
    [Fact]
    public void ReadsClassNamesSynonymsAndIndicesAfterAnOptionalHeader()
    {
        using var temp = new TempFolder();
        string csv = temp.File("labels.csv");
        File.WriteAllText(csv, "clip,label\r\na,Happiness\nActor_01/b, happy \n\nc,CALM\nd,7\n\"e,f\",sad\ng,fearful\n");

        var labels = ClipLabelFile.Read(csv);

        Assert.Equal(["a", "Actor_01/b", "c", "d", "e,f", "g"], labels.Select(l => l.Clip));
        Assert.Equal([4, 4, 0, 7, 5, 3], labels.Select(l => l.Label));
        Assert.Equal([2, 3, 5, 6, 7, 8], labels.Select(l => l.Line));
    }

    [Theory]
    [InlineData("angry", 1)]
    [InlineData("Disgusted", 2)]
    [InlineData("surprised", 6)]
    [InlineData("surprise", 6)]
    [InlineData("neutral", 0)]
    [InlineData("OTHER", 7)]
    [InlineData("0", 0)]
    [InlineData("HAP", 4)]
    public void ParsesEachSpelling(string text, int expected) => Assert.Equal(expected, ClipLabelFile.ParseLabel(text));

    [Theory]
    [InlineData("", "holds no clip labels")]
    [InlineData("clip,label\n\n", "holds no clip labels")]
    [InlineData("a,joyful\n", "line 1: unknown label 'joyful'")]
    [InlineData("a,8\n", "line 1: unknown label '8'")]
    [InlineData("a,-1\n", "line 1: unknown label '-1'")]
    [InlineData("a,1\nb,2\na,3\n", "line 3: clip 'a' is already labelled on line 1")]
    [InlineData("a,1\njustaname\n", "line 2: 'justaname' is not clip,label")]
    [InlineData(",happy\n", "line 1: ',happy' is not clip,label")]
    public void RefusesABadFileNamingTheLine(string content, string problem)
    {
        using var temp = new TempFolder();
        string csv = temp.File("labels.csv");
        File.WriteAllText(csv, content);
        var e = Assert.Throws<AffectFuseException>(() => ClipLabelFile.Read(csv));
        Assert.Equal(csv, e.File);
        Assert.StartsWith(problem, e.Problem);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<AffectFuseException>(() => ClipLabelFile.Read(temp.File("none.csv")));
        Assert.Equal("clip label file not found", e.Problem);
    }
}
