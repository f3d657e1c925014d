using System.Globalization;
using AffectFuse.IO;
using ScottPlot;

namespace AffectFuse.Reporting;

/// <summary>Confusion-matrix heatmap PNG (rows = truth, columns = prediction) with class names, row-normalised
/// colours and each cell's share and count.</summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>Renders <paramref name="confusion"/> <c>[8,8]</c> and writes a PNG atomically.</summary>
    public static void Save(string path, int[,] confusion, string? title = null, int width = 900, int height = 800)
        => AtomicFile.WriteAllBytes(path, Render(confusion, title, width, height));

    /// <summary>The PNG bytes.</summary>
    public static byte[] Render(int[,] confusion, string? title = null, int width = 900, int height = 800)
    {
        int k = ExpressionClasses.Count;
        if (confusion.GetLength(0) != k || confusion.GetLength(1) != k)
            throw new ArgumentException($"confusion must be {k}x{k}", nameof(confusion));

        // Row-normalised (recall per true class) so rare classes are as readable as Neutral/Other.
        var share = new double[k, k];
        for (int r = 0; r < k; r++)
        {
            long rowTotal = 0;
            for (int c = 0; c < k; c++)
                rowTotal += confusion[r, c];
            for (int c = 0; c < k; c++)
                share[r, c] = rowTotal == 0 ? 0 : (double)confusion[r, c] / rowTotal;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (r, c) centred on x = c, y = k-1-r: heatmap data row 0 is drawn at the top.
        heatmap.Rectangle = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "share of true class";

        for (int r = 0; r < k; r++)
        {
            for (int c = 0; c < k; c++)
            {
                string text = share[r, c].ToString("0.00", CultureInfo.InvariantCulture) + "\n"
                    + confusion[r, c].ToString(CultureInfo.InvariantCulture);
                var label = plot.Add.Text(text, c, k - 1 - r);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 11;
                label.LabelFontColor = share[r, c] > 0.6 ? Colors.Black : Colors.White;
            }
        }

        double[] positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        string[] names = ExpressionClasses.Names.ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, names);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions.Select(p => k - 1 - p).ToArray(), names);
        plot.XLabel("Predicted");
        plot.YLabel("True");
        plot.Title(title ?? "Confusion matrix");
        plot.HideGrid();
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
