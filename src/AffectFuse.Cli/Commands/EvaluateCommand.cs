using System.CommandLine;
using AffectFuse.Workflows;
using System.Globalization;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse evaluate</c>: scores a checkpoint on labelled videos (macro-F1, accuracy, per class,
/// confusion, by condition), optionally sweeping window, stride and smoothing.</summary>
public static class EvaluateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var shared = new PredictionArguments();
        var labels = new Option<string>("--labels") { Description = "Folder of EXPR annotation .txt files.", Required = true };
        var sweep = new Option<bool>("--sweep") { Description = "Evaluate a grid of window, stride and smoothing settings and report the best." };
        var sweepWindows = new Option<string?>("--sweep-windows") { Description = "Comma-separated windows for --sweep (default 32,64,128,256)." };
        var sweepStrides = new Option<string?>("--sweep-strides") { Description = "Comma-separated strides as fractions of the window (default 0.25,0.5,1)." };
        var sweepSmooth = new Option<string?>("--sweep-smooth") { Description = "Comma-separated smoothing half-widths (default 0,8,16,32,50)." };
        var json = new Option<string?>("--json") { Description = "Write the scores as JSON to this file." };
        var confusionPng = new Option<string?>("--confusion-png") { Description = "Write the confusion-matrix heatmap to this PNG." };
        var report = new Option<string?>("--report") { Description = "Write a self-contained HTML report (scores, tables, plots, per-video results) to this file." };
        var noBaselines = new Option<bool>("--no-baselines") { Description = "Leave out the systems scored beside the model (the model with the face or the voice masked, each face net alone), which run the model twice more." };
        var keepBest = new Option<string?>("--save-best") { Description = "With --sweep: write a copy of the checkpoint whose inference settings are the best ones found (what predict and infer then use)." };

        var command = new Command("evaluate", "Score a checkpoint on labelled videos: macro-F1, accuracy, per-class scores, confusion, face/audio condition split.");
        shared.AddTo(command);
        foreach (var option in new Option[] { labels, sweep, sweepWindows, sweepStrides, sweepSmooth, json, confusionPng, report, keepBest, noBaselines })
            command.Options.Add(option);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            // Folders first: naming a wrong folder fails before a checkpoint is read.
            var source = shared.Source(parse, parse.GetValue(labels));
            var checkpoint = shared.LoadCheckpoint(parse);
            var request = new EvaluationRequest
            {
                ModelPath = parse.GetValue(shared.Model)!,
                Source = source,
                Inference = shared.Inference(parse, checkpoint),
                Sweep = parse.GetValue(sweep) ? new SweepGrid(
                    (parse.GetValue(sweepWindows) is { } sw ? ListArgument.Integers(sw, "--sweep-windows") : SweepGrid.Default.Windows),
                    (parse.GetValue(sweepStrides) is { } ss ? ListArgument.Numbers(ss, "--sweep-strides") : SweepGrid.Default.StrideFractions),
                    (parse.GetValue(sweepSmooth) is { } sm ? ListArgument.Integers(sm, "--sweep-smooth") : SweepGrid.Default.SmoothingHalfWidths)) : null,
                SaveBest = parse.GetValue(keepBest),
                Json = parse.GetValue(json),
                ConfusionPng = parse.GetValue(confusionPng),
                Report = parse.GetValue(report),
                Baselines = !parse.GetValue(noBaselines),
            };
            var outcome = ProgressDisplay.Start(ctx =>
            {
                var phases = ProgressDisplay.Phases(ctx);
                return EvaluationWorkflow.Run(checkpoint, request, new SynchronousProgress<EvaluationProgress>(p => phases(p.Phase, p.Done, p.Total)), CommandRunner.Warn);
            });
            if (outcome.Sweep is { } sweepResult)
                PrintSweep(sweepResult);
            if (request.SaveBest is { } bestPath)
                AnsiConsole.MarkupLine($"checkpoint with these inference settings written to {Markup.Escape(bestPath)}");
            PrintResult(request.ModelPath, outcome.Videos, outcome.Inference, outcome.Result);
            foreach (var (path, what) in new[] { (request.Json, "scores"), (request.ConfusionPng, "confusion matrix"), (request.Report, "report") })
                if (path is not null)
                    AnsiConsole.MarkupLine($"{what} written to [blue]{Markup.Escape(path)}[/]");
            return 0;
        }));
        return command;
    }

    private static void PrintSweep(SweepResult sweep)
    {
        var table = new Table().Title("Sweep (validation)").AddColumns("Window", "Stride", "δ", "Macro-F1", "Accuracy");
        foreach (var p in sweep.Points)
        {
            bool best = ReferenceEquals(p, sweep.Best);
            string Cell(string s) => best ? $"[green bold]{s}[/]" : s;
            table.AddRow(Cell(p.Options.Window.ToString()), Cell(p.Options.Stride.ToString()), Cell(p.Options.SmoothingHalfWidth.ToString()),
                Cell(F(p.Scores.MacroF1)), Cell(F(p.Scores.Accuracy)));
        }
        AnsiConsole.Write(table);
        var b = sweep.Best.Options;
        AnsiConsole.MarkupLine($"best: window {b.Window}, stride {b.Stride}, smoothing δ {b.SmoothingHalfWidth} → macro-F1 [green]{F(sweep.Best.Scores.MacroF1)}[/]");
    }

    private static void PrintResult(string model, int videoCount, InferenceOptions options, EvaluationResult result)
    {
        var s = result.Overall;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(model)}[/] on {videoCount} videos, {s.Frames} annotated frames " +
            $"(window {options.Window}, stride {options.Stride}, {(options.CentreWeighted ? "centre-weighted" : "uniform")} votes, smoothing δ {options.SmoothingHalfWidth})");

        var summary = new Table().Title("Scores").AddColumns("Metric", "Value");
        summary.AddRow("Macro-F1", $"[green bold]{F(s.MacroF1)}[/]");
        summary.AddRow("Accuracy", F(s.Accuracy));
        summary.AddRow("Frames", s.Frames.ToString());
        AnsiConsole.Write(summary);

        AnsiConsole.Write(PerClassTable(s.PerClass, "Per class", "Support"));

        AnsiConsole.Write(ConfusionTable(s.Confusion, "Confusion (rows = truth, columns = prediction)"));

        var k = result.Conditions;
        var conditions = new Table().Title("By condition").AddColumns("Condition", "Frames", "Macro-F1", "Accuracy");
        foreach (var (name, scores) in new[] { ("face present", k.FacePresent), ("face absent", k.FaceAbsent), ("audio present", k.AudioPresent), ("audio absent", k.AudioAbsent) })
            conditions.AddRow(name, scores.Frames.ToString(), F(scores.MacroF1), F(scores.Accuracy));
        AnsiConsole.Write(conditions);
        AnsiConsole.MarkupLine($"label flips per minute: predicted {k.FlipsPerMinute:0.0}, ground truth {k.TruthFlipsPerMinute:0.0} (over {k.Minutes:0.0} min)");
        if (result.Baselines.Count > 0)
            PrintBaselines(s, result.Baselines);
    }

    /// <summary>Precision, recall, F1 and support of each class as a table.</summary>
    internal static Table PerClassTable(IEnumerable<ClassScore> scores, string title, string support)
    {
        var perClass = new Table().Title(title).AddColumns("Class", "Precision", "Recall", "F1", support);
        foreach (var c in scores)
            perClass.AddRow(c.Name, F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString());
        return perClass;
    }

    /// <summary>A confusion matrix <c>[8,8]</c> as a table, rows = truth, the diagonal in bold.</summary>
    internal static Table ConfusionTable(int[,] counts, string title)
    {
        var confusion = new Table().Title(title).AddColumn("truth \\ pred");
        foreach (var name in ExpressionClasses.Names)
            confusion.AddColumn(new TableColumn(name).RightAligned());
        for (int r = 0; r < ExpressionClasses.Count; r++)
        {
            var row = new List<string> { ExpressionClasses.Names[r] };
            for (int c = 0; c < ExpressionClasses.Count; c++)
                row.Add(r == c ? $"[bold]{counts[r, c]}[/]" : counts[r, c].ToString());
            confusion.AddRow(row.ToArray());
        }
        return confusion;
    }

    /// <summary>A score with four decimals.</summary>
    internal static string F(double x) => x.ToString("0.0000", CultureInfo.InvariantCulture);

    private static void PrintBaselines(ClassificationScores model, IReadOnlyList<SystemScores> baselines)
    {
        var table = new Table().Title("Beside the model (same frames)").AddColumns("System", "Macro-F1", "Accuracy");
        table.AddRow(ComparedSystem.Model.Name, $"[bold]{F(model.MacroF1)}[/]", F(model.Accuracy));
        foreach (var b in baselines)
            table.AddRow(Markup.Escape(b.System.Name), F(b.Scores.MacroF1), F(b.Scores.Accuracy));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("The model's face or voice masked on every frame; a face net alone says Neutral where it sees no face.");
    }
}
