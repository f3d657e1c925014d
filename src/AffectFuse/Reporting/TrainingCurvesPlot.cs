using AffectFuse.IO;
using AffectFuse.Training;
using ScottPlot;

namespace AffectFuse.Reporting;

/// <summary>Training-curve PNG: losses on the left axis, validation macro-F1 and accuracy on the right, per epoch.</summary>
internal static class TrainingCurvesPlot
{
    /// <summary>Renders <paramref name="records"/> and writes a PNG atomically.</summary>
    public static void Save(string path, IReadOnlyList<EpochRecord> records, int width = 1000, int height = 600)
    {
        if (records.Count == 0)
            throw new AffectFuseException(path, "no epochs to plot");
        AtomicFile.WriteAllBytes(path, Render(records, width, height));
    }

    /// <summary>The PNG bytes; <paramref name="records"/> must not be empty.</summary>
    public static byte[] Render(IReadOnlyList<EpochRecord> records, int width = 1000, int height = 600)
    {
        if (records.Count == 0)
            throw new ArgumentException("no epochs to plot", nameof(records));
        var ordered = records.OrderBy(r => r.Epoch).ToArray();
        double[] epochs = ordered.Select(r => (double)r.Epoch).ToArray();

        var plot = new Plot();
        var train = plot.Add.Scatter(epochs, ordered.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss";
        var withValidationLoss = ordered.Where(r => r.ValidationLoss.HasValue).ToArray();
        if (withValidationLoss.Length > 0)
        {
            var validation = plot.Add.Scatter(
                withValidationLoss.Select(r => (double)r.Epoch).ToArray(),
                withValidationLoss.Select(r => r.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation loss";
            validation.LinePattern = LinePattern.Dashed;
        }

        var f1 = plot.Add.Scatter(epochs, ordered.Select(r => r.ValidationMacroF1).ToArray());
        f1.LegendText = "validation macro-F1";
        f1.Axes.YAxis = plot.Axes.Right;
        var accuracy = plot.Add.Scatter(epochs, ordered.Select(r => r.ValidationAccuracy).ToArray());
        accuracy.LegendText = "validation accuracy";
        accuracy.Axes.YAxis = plot.Axes.Right;

        plot.Title("Training curves");
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.Label.Text = "loss";
        plot.Axes.Right.Label.Text = "validation score";
        plot.Axes.SetLimitsY(0, 1, plot.Axes.Right);
        plot.ShowLegend(Alignment.UpperRight);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
