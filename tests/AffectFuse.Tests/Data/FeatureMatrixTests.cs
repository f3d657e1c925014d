using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class FeatureMatrixTests
{
    private static Half[] Halves(params float[] values) => values.Select(v => (Half)v).ToArray();

    [Fact]
    public void Float16StaysFloat16AndIsWidenedOnlyWhenCopied()
    {
        var values = Halves(0.5f, -1.25f, 6.0e-8f, 3, 0, 1e4f);
        var m = FeatureMatrix.Of(values, 3);
        Assert.Equal(NpyDType.Float16, m.DType);
        Assert.Equal((2, 3), (m.Rows, m.Width));
        Assert.Equal(12, m.ByteCount);

        var row = new float[3];
        m.CopyRows(1, 1, row);
        Assert.Equal(values[3..].Select(h => (float)h), row);
        Assert.Equal((float)values[2], m[0, 2]);
        Assert.Equal(values.Select(h => (float)h), m.ToSingles());
    }

    [Fact]
    public void Float32IsKeptWithoutACopy()
    {
        var values = new float[] { 1, 2, 3, 4 };
        var m = FeatureMatrix.Of(values, 2);
        Assert.Equal(NpyDType.Float32, m.DType);
        Assert.Same(values, m.ToSingles());
        Assert.Equal(16, m.ByteCount);
    }

    [Fact]
    public void NpyArraysKeepTheirPrecisionAndDoubleIsRounded()
    {
        Assert.Equal(NpyDType.Float16, FeatureMatrix.FromNpy(NpyArray.Of(Halves(1, 2), 1, 2))!.DType);
        Assert.Equal(NpyDType.Float32, FeatureMatrix.FromNpy(NpyArray.Of(new float[] { 1, 2 }, 1, 2))!.DType);
        var fromDouble = FeatureMatrix.FromNpy(NpyArray.Of(new[] { 0.1, 0.2 }, 2, 1))!;
        Assert.Equal(NpyDType.Float32, fromDouble.DType);
        Assert.Equal([0.1f, 0.2f], fromDouble.ToSingles());
        Assert.Null(FeatureMatrix.FromNpy(NpyArray.Of(new long[] { 1, 2 }, 1, 2)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ZeroRowsIncludingNegativeZeroAreMissing(bool half)
    {
        float[] values = [0, 0, -0f, 0, 0, 1e-3f, 0, 0];
        var m = half ? FeatureMatrix.Of(values.Select(v => (Half)v).ToArray(), 2) : FeatureMatrix.Of(values, 2);
        Assert.Equal([false, false, true, false], m.NonZeroRows());
    }

    [Theory]
    [InlineData(true, float.NaN, "NaN")]
    [InlineData(true, float.NegativeInfinity, "-Inf")]
    [InlineData(false, float.PositiveInfinity, "+Inf")]
    [InlineData(false, float.NaN, "NaN")]
    public void FirstNonFiniteValueIsReportedWithFrameAndColumn(bool half, float bad, string kind)
    {
        // Long enough for the vectorised scan to pass whole vectors before reaching the bad value.
        var values = Enumerable.Range(0, 7 * 50).Select(i => (float)(i % 13)).ToArray();
        values[31 * 7 + 4] = bad;
        values[40 * 7 + 1] = float.NaN;
        var m = half ? FeatureMatrix.Of(values.Select(v => (Half)v).ToArray(), 7) : FeatureMatrix.Of(values, 7);
        var e = Assert.Throws<AffectFuseException>(() => m.CheckFinite("f.npy", "visual"));
        Assert.Equal("f.npy", e.File);
        Assert.Contains($"visual feature is {kind} at frame 31, column 4", e.Message);
        FeatureMatrix.Of(new Half[64], 8).CheckFinite("ok", "visual");
    }

    [Fact]
    public void WithRowsTruncatesOrPadsInTheSamePrecision()
    {
        var m = FeatureMatrix.Of(Halves(1, 2, 3, 4), 2);
        var longer = m.WithRows(3);
        Assert.Equal(NpyDType.Float16, longer.DType);
        Assert.Equal([1f, 2, 3, 4, 0, 0], longer.ToSingles());
        Assert.Equal([1f, 2], m.WithRows(1).ToSingles());
    }

    [Fact]
    public void CopyOutsideTheRowsIsRefused()
    {
        var m = FeatureMatrix.Zeros(3, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.CopyRows(2, 2, new float[4]));
        Assert.Throws<ArgumentException>(() => m.CopyRows(0, 2, new float[3]));
    }
}
