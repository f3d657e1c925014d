using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using System.CommandLine;
using System.Globalization;
using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench ablate</c>: the ablation ladder (single streams, concatenation, unsafe and safe cross-attention,
/// modality dropout, focal loss, soft voting, smoothing), several seeds each, chosen on validation and scored on test.</summary>
public static class BenchAblateCommand
{
    /// <summary>Builds the command (named <c>ablate</c>; it belongs under <c>bench</c>).</summary>
    public static Command Create()
    {
        var d = AblationOptions.DefaultTraining;
        string Of(double v) => v.ToString(CultureInfo.InvariantCulture);
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Aff-Wild2-layout root: labels in EXPR_Recognition_Challenge/{Train_Set,Validation_Set,Test_Set}, features in features/ " +
                          "(what `bench compose` + `extract`, or `synth --test-videos N`, write)",
            Required = true,
        };
        var features = new Option<DirectoryInfo?>("--features") { Description = "Folder of per-video .npz feature files [DATA/features]" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder: ablation.json, ablation.md, runs/<config>/seed<k>/ (re-running resumes)", Required = true };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per configuration", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int?>("--epochs") { Description = $"Maximum epochs per run [{d.Epochs}]" };
        var patience = new Option<int?>("--patience") { Description = $"Early-stopping patience in epochs [{d.Patience}]" };
        var ladder = new Option<string>("--ladder")
        {
            Description = "standard: the method's components one at a time; features: the feature sets (data extracted with --visual all --audio all)",
            DefaultValueFactory = _ => "standard",
        };
        ladder.AcceptOnlyFromAmong([.. AblationLadder.Ladders.Keys]);
        var configs = new Option<string?>("--configs")
        {
            Description = $"Comma-separated subset of the ladder's rungs (what they depend on is added) [all]; standard: {string.Join(", ", AblationLadder.Standard.Select(c => c.Name))}",
        };
        var visual = new Option<string?>("--visual") { Description = "Visual feature groups for rungs that do not choose their own (e.g. faceapi,landmarks) [as stored]" };
        var audio = new Option<string?>("--audio") { Description = "Audio feature groups for rungs that do not choose their own (e.g. prosody,embedding) [as stored]" };
        var width = new Option<int?>("--width") { Description = $"Model width d [{d.Model.Width}]" };
        var layers = new Option<int?>("--layers") { Description = $"Self-attention layers per branch [{d.Model.SelfLayers}]" };
        var window = new Option<int?>("--window") { Description = $"Window length T in frames (training and inference) [{d.Window}]" };
        var batch = new Option<int?>("--batch") { Description = $"Windows per training batch [{d.BatchSize}]" };
        var lr = new Option<double?>("--lr") { Description = $"Peak AdamW learning rate [{Of(d.LearningRate)}]" };
        var threads = new Option<int?>("--threads") { Description = $"Torch threads; 0 = library default [{d.Threads}]" };

        var command = new Command("ablate", "Ablation study: each configuration trained with several seeds, every setting chosen on validation, " +
            "the test split scored once; writes a table (screen, ablation.md) and every run (ablation.json). Re-running into the same folder resumes.");
        foreach (var o in new Option[] { data, features, outDir, seeds, epochs, patience, ladder, configs, visual, audio, width, layers, window, batch, lr, threads })
            command.Options.Add(o);

        command.SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run(() =>
        {
            string root = parse.GetValue(data)!.FullName;
            string featureDir = parse.GetValue(features)?.FullName ?? AffWild2Layout.FeaturesDir(root);
            if (!Directory.Exists(featureDir)) throw new AffectFuseException(featureDir, "feature folder does not exist (run `affectfuse extract`, or name it with --features)");
            var training = d with
            {
                Epochs = parse.GetValue(epochs) ?? d.Epochs,
                Patience = parse.GetValue(patience) ?? d.Patience,
                Window = parse.GetValue(window) ?? d.Window,
                Stride = parse.GetValue(window) is { } tw ? Math.Max(1, tw / 2) : d.Stride,
                BatchSize = parse.GetValue(batch) ?? d.BatchSize,
                LearningRate = parse.GetValue(lr) ?? d.LearningRate,
                Threads = parse.GetValue(threads) ?? d.Threads,
                Model = d.Model with
                {
                    Width = parse.GetValue(width) ?? d.Model.Width,
                    FeedForward = 2 * (parse.GetValue(width) ?? d.Model.Width),
                    SelfLayers = parse.GetValue(layers) ?? d.Model.SelfLayers,
                },
            };
            var options = new AblationOptions
            {
                Seeds = parse.GetValue(seeds),
                Training = training,
                Ladder = parse.GetValue(ladder)!,
                Visual = parse.GetValue(visual) is { } v ? VisualFeatureLayout.ParseOption(v) : null,
                Audio = parse.GetValue(audio) is { } a ? AudioFeatureSets.ParseOption(a) : null,
                Configs = (parse.GetValue(configs) is { } cs ? ListArgument.Names(cs) : null),
            };
            options.Validate();
            var selected = options.SelectedConfigs;

            var splits = new[] { AffWild2Split.Train, AffWild2Split.Validation, AffWild2Split.Test }
                .Select(s => LoadSplit(root, featureDir, s)).ToArray();
            AnsiConsole.MarkupLine($"[bold]train[/] {Describe(splits[0])} · [bold]validation[/] {Describe(splits[1])} · [bold]test[/] {Describe(splits[2])}");
            AnsiConsole.MarkupLine($"{selected.Count} configurations × {options.Seeds} seeds: {Markup.Escape(string.Join(", ", selected.Select(c => c.Name)))}");

            string outPath = parse.GetValue(outDir)!.FullName;
            var log = new List<string>();
            var runner = new AblationRunner(outPath, m => log.Add(m));
            AblationReport report = null!;
            ProgressDisplay.Create(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .AutoClear(false)
                .Start(ctx =>
                {
                    var task = ctx.AddTask("ablation", maxValue: selected.Count * options.Seeds);
                    var reporter = new SynchronousProgress<AblationProgress>(p =>
                    {
                        double within = p.Training is { } tp ? ((tp.Epoch - 1) * tp.BatchesPerEpoch + tp.Batch) / (double)(tp.Epochs * tp.BatchesPerEpoch) : 0;
                        task.Value = p.RunsDone + (p.Phase is "done" or "reused" ? 0 : 0.9 * within);
                        string detail = p.Training is { } t2
                            ? $"epoch {t2.Epoch}/{t2.Epochs} · val F1 {(t2.LastValidationMacroF1 is { } f ? f.ToString("F3", CultureInfo.InvariantCulture) : "–")} · best {t2.BestValidationMacroF1.ToString("F3", CultureInfo.InvariantCulture)}"
                            : p.Phase;
                        task.Description = Markup.Escape($"run {Math.Min(p.RunsDone + 1, p.Runs)}/{p.Runs} {p.Config} seed {p.Seed}: {detail}");
                    });
                    report = runner.Run(splits[0], splits[1], splits[2], options, CommandLine(parse), reporter, cancel);
                    task.Value = task.MaxValue;
                    task.Description = "ablation";
                });
            foreach (string line in log.Where(l => l.Contains("non-finite") || l.Contains("reused")))
                AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");

            var table = new Table().Title("ablation (mean ± sd over seeds)");
            foreach (string column in AblationMarkdown.Columns) table.AddColumn(new TableColumn(column).RightAligned());
            foreach (var row in report.Rows) table.AddRow(AblationMarkdown.Cells(row).Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
            var perClass = report.Rows.Where(r => selected.First(c => c.Name == r.Config).ReportPerClass).ToList();
            if (perClass.Count > 0)
            {
                var classes = new Table().Title("per-class test F1");
                foreach (string column in new[] { "configuration" }.Concat(ExpressionClasses.Names)) classes.AddColumn(new TableColumn(column).RightAligned());
                foreach (var row in perClass) classes.AddRow(AblationMarkdown.PerClassCells(row).Select(Markup.Escape).ToArray());
                AnsiConsole.Write(classes);
            }
            int trained = report.Runs.Count(r => r.Trained);
            double trainSeconds = report.Runs.Where(r => r.Trained).Sum(r => r.TrainingSeconds);
            AnsiConsole.MarkupLine($"{report.RunsComputed} runs computed, {report.RunsReused} reused, {report.Seconds:F0} s in all; " +
                                   $"training {trainSeconds / Math.Max(trained, 1):F0} s per trained run on average");
            AnsiConsole.MarkupLine($"→ [blue]{Markup.Escape(Path.Combine(outPath, AblationRunner.MarkdownFileName))}[/], [blue]{Markup.Escape(Path.Combine(outPath, AblationRunner.JsonFileName))}[/]");
            return 0;
        })));
        return command;
    }

    private static IReadOnlyList<LabelledVideo> LoadSplit(string root, string featureDir, AffWild2Split split)
    {
        string labels = AffWild2Layout.LabelsDir(root, split);
        if (!Directory.Exists(labels))
            throw new AffectFuseException(labels, $"label folder not found: the ablation needs {AffWild2Layout.SetFolder(AffWild2Split.Train)}, {AffWild2Layout.SetFolder(AffWild2Split.Validation)} and {AffWild2Layout.SetFolder(AffWild2Split.Test)} " +
                                                  "(`bench compose` writes all three; `synth` needs --test-videos N)");
        return DatasetLoader.LoadLabelled(new DatasetSource { FeaturesDir = featureDir, LabelsDir = labels }, CommandRunner.Warn);
    }

    private static string Describe(IReadOnlyList<LabelledVideo> videos) =>
        $"{videos.Count} videos, {videos.Sum(v => (long)v.Features.FrameCount).ToString("N0", CultureInfo.InvariantCulture)} frames";

    private static string CommandLine(ParseResult parse) =>
        "affectfuse " + string.Join(" ", parse.Tokens.Select(t => t.Value.Any(char.IsWhiteSpace) ? $"\"{t.Value}\"" : t.Value));
}
