using System.Text;
using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class ExprLabelFileTests
{
    private const string Header = "Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other";

    [Fact]
    public void WriteThenReadRoundTripsEveryLabelIncludingUnannotated()
    {
        using var dir = new TempFolder();
        string path = dir.File("10-60-1280x720_left.txt");
        int[] labels = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 7, -1, 4];
        ExprLabelFile.Write(path, labels);
        Assert.Equal(labels, ExprLabelFile.Read(path));
        Assert.Equal(Header + "\n-1\n0\n1\n", File.ReadAllText(path)[..(Header.Length + 8)]);
    }

    [Fact]
    public void ToleratesBomCrlfSpacesAndTrailingBlankLines()
    {
        using var dir = new TempFolder();
        string path = dir.File("crlf.txt");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.ASCII.GetBytes(Header + "\r\n3\r\n -1 \r\n7\r\n\r\n\r\n")]);
        Assert.Equal(new[] { 3, -1, 7 }, ExprLabelFile.Read(path));
    }

    [Theory]
    [InlineData("", "file is empty")]
    [InlineData("\n\n", "file is empty")]
    [InlineData(Header + "\n", "no frames")]
    [InlineData("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise\n0\n", "line 1: expected the header")]
    [InlineData("Valence,Arousal\n0.1,0.2\n", "line 1: expected the header")]
    [InlineData(Header + "\n0\n1\nhappy\n2\n", "line 4: 'happy' is not an integer label")]
    [InlineData(Header + "\n0\n\n2\n", "line 3: '' is not an integer label")]
    [InlineData(Header + "\n0\n1.5\n", "line 3: '1.5' is not an integer label")]
    [InlineData(Header + "\n0\n0\n0\n0\n8\n", "line 6: label 8 is outside -1..7")]
    [InlineData(Header + "\n-2\n", "line 2: label -2 is outside -1..7")]
    public void BadFilesNameTheFileAndLine(string content, string expected)
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.txt");
        File.WriteAllText(path, content);
        var e = Assert.Throws<AffectFuseException>(() => ExprLabelFile.Read(path));
        Assert.Equal(path, e.File);
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void WriteRejectsOutOfRangeLabelsAndKeepsTheOldFile()
    {
        using var dir = new TempFolder();
        string path = dir.File("v.txt");
        ExprLabelFile.Write(path, [1, 2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExprLabelFile.Write(path, [1, 8]));
        Assert.Equal(new[] { 1, 2 }, ExprLabelFile.Read(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
