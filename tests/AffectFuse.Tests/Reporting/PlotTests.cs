using Xunit;
using AffectFuse.Reporting;
using AffectFuse.Training;
using SkiaSharp;

namespace AffectFuse.Tests.Reporting;

public class PlotTests
{
    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes.Take(4).ToArray());
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        // Not blank: many distinct colours (heatmap cells, lines, anti-aliased text).
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
                colours.Add((uint)bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 50, $"only {colours.Count} colours: the image looks blank");
    }

    [Fact]
    public void ConfusionMatrixPngDecodesAtTheRequestedSize()
    {
        using var dir = new TempFolder();
        var confusion = new int[8, 8];
        var rng = new Random(3);
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
                confusion[r, c] = r == c ? 200 + rng.Next(300) : rng.Next(60);
        confusion[3, 3] = 0; // a class never predicted correctly
        for (int c = 0; c < 8; c++)
            confusion[2, c] = 0; // a class with no true frames
        string path = dir.File("confusion.png");
        ConfusionMatrixPlot.Save(path, confusion, "validation", 900, 800);
        AssertPng(path, 900, 800);
    }

    [Fact]
    public void TrainingCurvesPngDecodesAtTheRequestedSize()
    {
        using var dir = new TempFolder();
        var records = Enumerable.Range(1, 12).Select(e => new EpochRecord(e, 2.0 / e, e % 2 == 0 ? 2.2 / e : null,
            0.2 + 0.02 * e, 0.35 + 0.015 * e, 1e-3 * (1 - e / 13.0), 40 + e)).ToList();
        string path = dir.File("curves.png");
        TrainingCurvesPlot.Save(path, records, 1000, 600);
        AssertPng(path, 1000, 600);
        Assert.Throws<AffectFuseException>(() => TrainingCurvesPlot.Save(dir.File("none.png"), []));
    }
}
