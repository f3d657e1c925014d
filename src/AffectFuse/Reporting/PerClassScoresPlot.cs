using System.Globalization;
using AffectFuse.Evaluation;
using AffectFuse.IO;
using ScottPlot;

namespace AffectFuse.Reporting;

/// <summary>Grouped bar chart PNG of each class's precision, recall and F1, with the class's support (true frames)
/// written above its group and the macro-F1 as a dashed line.</summary>
internal static class PerClassScoresPlot
{
    private static readonly (string Name, Color Colour, Func<ClassScore, double> Value)[] Metrics =
    [
        ("precision", Color.FromHex("#4C78A8"), s => s.Precision),
        ("recall", Color.FromHex("#F58518"), s => s.Recall),
        ("F1", Color.FromHex("#54A24B"), s => s.F1),
    ];

    /// <summary>Renders <paramref name="scores"/> and writes a PNG atomically.</summary>
    public static void Save(string path, ClassificationScores scores, string? title = null, int width = 1000, int height = 560)
        => AtomicFile.WriteAllBytes(path, Render(scores, title, width, height));

    /// <summary>The PNG bytes.</summary>
    public static byte[] Render(ClassificationScores scores, string? title = null, int width = 1000, int height = 560)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var classes = scores.PerClass;
        if (classes.Count == 0)
            throw new ArgumentException("no classes to plot", nameof(scores));

        // Groups are 4 units apart: three bars of width 0.9 and a gap.
        const double groupWidth = 4, barWidth = 0.9;
        var plot = new Plot();
        for (int m = 0; m < Metrics.Length; m++)
        {
            var (name, colour, value) = Metrics[m];
            var bars = new List<Bar>(classes.Count);
            for (int c = 0; c < classes.Count; c++)
            {
                double v = value(classes[c]);
                bars.Add(new Bar
                {
                    Position = c * groupWidth + (m - 1) * barWidth,
                    Value = v,
                    Size = barWidth,
                    FillColor = colour,
                    LineWidth = 0,
                    Label = v.ToString("0.00", CultureInfo.InvariantCulture),
                });
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = name;
            plottable.ValueLabelStyle.FontSize = 10;
        }

        for (int c = 0; c < classes.Count; c++)
        {
            var support = plot.Add.Text("n=" + classes[c].Support.ToString("N0", CultureInfo.InvariantCulture), c * groupWidth, 1.12);
            support.LabelAlignment = Alignment.MiddleCenter;
            support.LabelFontSize = 12;
            support.LabelFontColor = Colors.DimGray;
        }

        var macro = plot.Add.HorizontalLine(scores.MacroF1);
        macro.LinePattern = LinePattern.Dashed;
        macro.LineColor = Colors.Black.WithAlpha(0.6);
        macro.LineWidth = 1.5f;
        macro.LegendText = "macro-F1 " + scores.MacroF1.ToString("0.0000", CultureInfo.InvariantCulture);

        double[] positions = Enumerable.Range(0, classes.Count).Select(c => c * groupWidth).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, classes.Select(c => c.Name).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.SetLimits(-groupWidth / 2, (classes.Count - 0.5) * groupWidth, 0, 1.2);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [0, 0.2, 0.4, 0.6, 0.8, 1.0], ["0", "0.2", "0.4", "0.6", "0.8", "1"]);
        plot.YLabel("score");
        plot.Title(title ?? "Per-class precision, recall and F1 (n = true frames)");
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        // Outside the data area: inside it would cover the support labels or the bars.
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
