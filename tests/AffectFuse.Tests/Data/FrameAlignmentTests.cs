using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class FrameAlignmentTests
{
    [Fact]
    public void EqualCountsPassThroughWithoutWarning()
    {
        var warnings = new List<string>();
        int[] labels = [1, 2, 3];
        Assert.Same(labels, FrameAlignment.AlignLabels(labels, 3, "a.txt", "a.npz", warn: warnings.Add));
        Assert.Empty(warnings);
    }

    [Fact]
    public void SurplusLabelsAreDroppedFromTheEndWithAWarning()
    {
        var warnings = new List<string>();
        int[] aligned = FrameAlignment.AlignLabels([4, 4, 5, 6, 7], 4, "v.txt", "v.npz", warn: warnings.Add);
        Assert.Equal(new[] { 4, 4, 5, 6 }, aligned); // never shifted: frame i keeps label i
        string w = Assert.Single(warnings);
        Assert.StartsWith("v.txt: 5 labels for 4 feature frames in v.npz", w);
        Assert.Contains("last 1 frame", w);
    }

    [Fact]
    public void MissingLabelsArePaddedWithUnannotatedAndAWarning()
    {
        var warnings = new List<string>();
        int[] aligned = FrameAlignment.AlignLabels([2, 3, 4], 6, "v.txt", "v.npz", warn: warnings.Add);
        Assert.Equal(new[] { 2, 3, 4, -1, -1, -1 }, aligned);
        Assert.Contains("last 3 frames as unannotated", Assert.Single(warnings));
    }

    [Theory]
    [InlineData(94, 100, "94 labelled frames", "100 feature frames", "6 fewer")]
    [InlineData(107, 100, "107 labelled frames", "100 feature frames", "7 more")]
    public void DifferencesBeyondToleranceAreErrorsNamingBothCounts(int labelCount, int frames, string a, string b, string c)
    {
        var e = Assert.Throws<AffectFuseException>(() => FrameAlignment.AlignLabels(new int[labelCount], frames, "v.txt", "v.npz"));
        Assert.Equal("v.txt", e.File);
        Assert.Contains(a, e.Message);
        Assert.Contains(b, e.Message);
        Assert.Contains(c, e.Message);
    }

    [Fact]
    public void ToleranceIsAnOption()
    {
        Assert.Equal(10, FrameAlignment.AlignLabels(new int[2], 10, "v.txt", "v.npz", tolerance: 8).Length);
        Assert.Throws<AffectFuseException>(() => FrameAlignment.AlignLabels(new int[99], 100, "v.txt", "v.npz", tolerance: 0));
    }
}
