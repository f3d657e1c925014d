using Xunit;
using AffectFuse.Reporting;

namespace AffectFuse.Tests.Reporting;

public class AbawSubmissionTests
{
    [Fact]
    public void CsvListsEveryFrameWithFiveDigitOneBasedImageNames()
    {
        using var dir = new TempFolder();
        string path = dir.File("predictions.csv");
        int[] first = Enumerable.Range(0, 12).Select(t => t % 8).ToArray();
        int[] second = [7, 6];
        AbawSubmission.WriteCsv(path, [("1-30-1280x720", first), ("10-60-1280x720_left", second)]);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal("image_location,Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other", lines[0]);
        Assert.Equal(1 + 12 + 2, lines.Length);
        Assert.Equal("1-30-1280x720/00001.jpg,0", lines[1]);
        Assert.Equal("1-30-1280x720/00010.jpg,1", lines[10]);
        Assert.Equal("1-30-1280x720/00012.jpg,3", lines[12]);
        Assert.Equal("10-60-1280x720_left/00001.jpg,7", lines[13]);
        Assert.Equal("10-60-1280x720_left/00002.jpg,6", lines[14]);
        Assert.Equal("00001.jpg", AbawSubmission.ImageName(0));
        Assert.Equal("99999.jpg", AbawSubmission.ImageName(99998));
        Assert.Equal("100000.jpg", AbawSubmission.ImageName(99999));
    }

    [Fact]
    public void TxtIsTheAnnotationFormat()
    {
        using var dir = new TempFolder();
        string path = AbawSubmission.WriteTxt(dir.File("txt"), "5-60-1920x1080-1", [4, 4, 0, 7]);
        Assert.Equal(dir.File("txt/5-60-1920x1080-1.txt"), path);
        Assert.Equal("Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other\n4\n4\n0\n7\n", File.ReadAllText(path));
    }

    [Fact]
    public void UnlabelledFrameIsRejectedAndNothingIsWritten()
    {
        using var dir = new TempFolder();
        string path = dir.File("predictions.csv");
        File.WriteAllText(path, "previous");
        var ex = Assert.Throws<AffectFuseException>(() => AbawSubmission.WriteCsv(path, [("v", new[] { 0, -1 })]));
        Assert.Contains("frame 2", ex.Message);
        Assert.StartsWith(path, ex.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Throws<AffectFuseException>(() => AbawSubmission.WriteTxt(dir.Path, "v", [8]));
        Assert.False(File.Exists(dir.File("v.txt")));
    }
}
