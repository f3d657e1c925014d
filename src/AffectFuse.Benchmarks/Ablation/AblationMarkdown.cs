using System.Globalization;
using System.Text;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>The ablation as markdown, ready to paste into the README: the command and date, the main table, per-class
/// test F1 of the training-recipe rungs, and how every setting was chosen.</summary>
internal static class AblationMarkdown
{
    /// <summary>Header of the main table's columns.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "configuration", "val macro-F1", "val acc", "test macro-F1", "test acc", "test F1 face absent", "test F1 face present",
        "flips/min (test)", "NaN train batches", "NaN val windows", "NaN test windows",
    ];

    /// <summary>The cells of one row of the main table, in <see cref="Columns"/> order (shared with the console table).</summary>
    public static IReadOnlyList<string> Cells(AblationRow row) =>
    [
        row.Config,
        row.ValidationMacroF1.Format(3),
        row.ValidationAccuracy.Format(1, 100, " %"),
        row.TestMacroF1.Format(3),
        row.TestAccuracy.Format(1, 100, " %"),
        row.TestFaceAbsentMacroF1.Format(3),
        row.TestFacePresentMacroF1.Format(3),
        row.TestFlipsPerMinute.Format(1),
        Count(row.NonFiniteTrainingBatches, row.TrainingBatches),
        Count(row.NonFiniteValidationWindows, row.ValidationWindows),
        Count(row.NonFiniteTestWindows, row.TestWindows),
    ];

    /// <summary>The per-class cells of one row: the rung, then test F1 of each class.</summary>
    public static IReadOnlyList<string> PerClassCells(AblationRow row) => [row.Config, .. row.TestPerClassF1.Select(m => m.Format(3))];

    /// <summary>Renders the report.</summary>
    public static string Render(AblationReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = report.Options.Training;
        int seeds = report.Rows.Count == 0 ? 0 : report.Rows.Max(r => r.Seeds);
        var md = new StringBuilder();
        md.AppendLine("### Ablation");
        md.AppendLine();
        md.AppendLine($"Produced by `{report.Command}` on {report.Date.UtcDateTime.ToString("yyyy-MM-dd", inv)} " +
                      $"({report.Train.Videos} train / {report.Validation.Videos} validation / {report.Test.Videos} test videos, " +
                      $"{report.Train.Frames.ToString("N0", inv)} / {report.Validation.Frames.ToString("N0", inv)} / {report.Test.Frames.ToString("N0", inv)} frames). " +
                      $"Mean ± sd over {seeds} seed{(seeds == 1 ? "" : "s")}; model d = {t.Model.Width}, {t.Model.SelfLayers} self-attention layer(s) per branch, " +
                      $"{t.Model.CrossLayers} cross layer(s), T = {t.Window}, up to {t.Epochs} epochs (patience {t.Patience}), batch {t.BatchSize}, peak lr {t.LearningRate.ToString("G3", inv)}.");
        md.AppendLine();
        Table(md, Columns, report.Rows.Select(Cells), rightAlignFrom: 1);

        var perClass = report.Rows.Where(r => report.Configs.FirstOrDefault(c => c.Name == r.Config)?.ReportPerClass == true).ToList();
        if (perClass.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Per-class test F1:");
            md.AppendLine();
            Table(md, ["configuration", .. ExpressionClasses.Names], perClass.Select(PerClassCells), rightAlignFrom: 1);
        }

        md.AppendLine();
        md.AppendLine("How to read it:");
        md.AppendLine("- Each rung adds one thing to the rung above it. `visual-only`, `audio-only` and `concat` use the base settings: " +
                      "safe attention, cross-entropy (γ = 0, uniform α), no modality dropout, windows of T with stride T (no voting), no smoothing.");
        var reusing = report.Configs.Where(c => !c.Trains).ToList();
        foreach (var c in reusing)
        {
            var row = report.Rows.FirstOrDefault(r => r.Config == c.Name);
            string chosen = row is null ? "" : c.Tuning switch
            {
                InferenceTuning.SoftVoting => $" Stride chosen per seed: S = {string.Join(", ", row.Strides)} (T = {t.Window}).",
                InferenceTuning.Smoothing => $" Half-width chosen per seed: δ = {string.Join(", ", row.SmoothingHalfWidths)} frames.",
                _ => "",
            };
            md.AppendLine($"- `{c.Name}` changes only inference: it reuses the `{c.ReusesModelsOf}` models (no retraining; its NaN train batches repeat theirs).{chosen}");
        }
        md.AppendLine("- Every choice is made on validation (best epoch by validation macro-F1; stride and δ by a validation sweep); " +
                      "the test split is scored once per configuration and seed, with the chosen settings.");
        md.AppendLine("- NaN columns: training steps with a non-finite loss, and inference windows with non-finite outputs, summed over seeds " +
                      "(count / total). A frame whose probabilities are NaN falls to class 0 (Neutral) at the argmax. " +
                      $"Windows with no face or no audio at all, which plain masked softmax turns into NaN even with finite weights: " +
                      $"{Share(report.Train)} of training windows, {Share(report.Validation)} of validation and {Share(report.Test)} of test windows (S = T).");
        var truth = report.Runs.Select(r => r.Test.TruthFlipsPerMinute).FirstOrDefault();
        var trained = report.Runs.Where(r => r.Trained).ToList();
        if (trained.Count > 0)
            md.AppendLine($"- Training took {trained.Average(r => r.TrainingSeconds).ToString("F0", inv)} s per trained run on average " +
                          $"({(trained.Sum(r => r.TrainingSeconds) / 60).ToString("F1", inv)} min for {trained.Count} runs, torch threads: {(t.Threads > 0 ? t.Threads.ToString(inv) : "library default")}); " +
                          $"choosing and scoring took {(report.Runs.Sum(r => r.EvaluationSeconds) / 60).ToString("F1", inv)} min.");
        md.AppendLine($"- Flips/min counts changes of the predicted label per minute of test video; the ground truth changes {truth.ToString("F1", inv)} times a minute.");
        return md.ToString();
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int rightAlignFrom)
    {
        md.AppendLine("| " + string.Join(" | ", header) + " |");
        md.AppendLine("|" + string.Join("|", header.Select((_, i) => i >= rightAlignFrom ? " ---: " : " --- ")) + "|");
        foreach (var row in rows)
            md.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
    }

    private static string Share(AblationSplit split) => split.Windows == 0 ? "0" :
        $"{split.WindowsMissingAStream.ToString("N0", CultureInfo.InvariantCulture)} ({(100.0 * split.WindowsMissingAStream / split.Windows).ToString("F1", CultureInfo.InvariantCulture)} %)";

    private static string Count(long count, long total) => $"{count.ToString("N0", CultureInfo.InvariantCulture)} / {total.ToString("N0", CultureInfo.InvariantCulture)}";
}
