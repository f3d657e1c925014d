using System.CommandLine;
using System.Text.Json;
using AffectFuse.Benchmarks;
using AffectFuse.Data;
using AffectFuse.IO;
using AffectFuse.Training;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse bench train</c>: one training epoch at Aff-Wild2's scale — time, frames/s and peak memory beside the
/// model's own training rate measured in the same run.</summary>
public static class BenchTrainCommand
{
    private static readonly AffWild2Shape Shape = new();

    /// <summary>Builds the <c>train</c> subcommand (attach it under <c>bench</c>).</summary>
    public static Command Create()
    {
        var work = new Option<string>("--work") { Description = "Folder for the generated data set (kept and reused by later runs of the same shape) and the epoch's checkpoints", DefaultValueFactory = _ => Path.Combine("out", "bench-train") };
        var trainVideos = new Option<int>("--train-videos") { Description = "Generated training videos", DefaultValueFactory = _ => Shape.TrainVideos };
        var valVideos = new Option<int>("--val-videos") { Description = "Generated validation videos", DefaultValueFactory = _ => Shape.ValidationVideos };
        var trainFrames = new Option<long>("--train-frames") { Description = "Generated training frames in all", DefaultValueFactory = _ => Shape.TrainFrames };
        var valFrames = new Option<long>("--val-frames") { Description = "Generated validation frames in all", DefaultValueFactory = _ => Shape.ValidationFrames };
        var visualDim = new Option<int>("--visual-dim") { Description = "Generated visual feature width", DefaultValueFactory = _ => Shape.VisualDim };
        var audioDim = new Option<int>("--audio-dim") { Description = "Generated audio feature width", DefaultValueFactory = _ => Shape.AudioDim };
        var dtype = new Option<string>("--dtype") { Description = "Generated feature precision: float16 or float32", DefaultValueFactory = _ => "float16" };
        dtype.AcceptOnlyFromAmong("float16", "float32");
        var own = new FeatureSourceOptions(what: " (your own data instead of a generated set)");
        var trainLabels = new Option<DirectoryInfo?>("--train-labels") { Description = "With your own features: training EXPR label folder" };
        var valLabels = new Option<DirectoryInfo?>("--val-labels") { Description = "With your own features: validation EXPR label folder" };
        var training = new TrainingArguments(all: false);
        var modelSeconds = new Option<double>("--model-seconds") { Description = "Timed seconds of the model-alone training rate", DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json") { Description = "Also write the figures as JSON to this file" };

        var command = new Command("train", "Train one epoch on an Aff-Wild2-sized data set (generated: 248 + 70 videos, 597k + 284k frames, 1024 + 1024 float16; or yours) " +
            "and print epoch time, frames/s, peak memory and data bytes beside the model's own training rate measured in the same run.");
        foreach (var o in new Option[] { work, trainVideos, valVideos, trainFrames, valFrames, visualDim, audioDim, dtype })
            command.Options.Add(o);
        own.AddTo(command);
        command.Options.Add(trainLabels);
        command.Options.Add(valLabels);
        training.AddTo(command);
        command.Options.Add(modelSeconds);
        command.Options.Add(json);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = training.Resolve(parse);
            var settings = new TrainingBenchmarkSettings
            {
                WorkDir = Path.GetFullPath(parse.GetValue(work)!),
                Shape = Shape with
                {
                    TrainVideos = parse.GetValue(trainVideos),
                    ValidationVideos = parse.GetValue(valVideos),
                    TrainFrames = parse.GetValue(trainFrames),
                    ValidationFrames = parse.GetValue(valFrames),
                    VisualDim = parse.GetValue(visualDim),
                    AudioDim = parse.GetValue(audioDim),
                    DType = parse.GetValue(dtype) == "float32" ? NpyDType.Float32 : NpyDType.Float16,
                },
                Training = options,
                ModelSeconds = parse.GetValue(modelSeconds),
            };
            if (parse.GetValue(own.FeaturesOption) is not null || parse.GetValue(own.VisualNpyOption) is not null || parse.GetValue(own.AudioNpyOption) is not null)
            {
                string trainDir = parse.GetValue(trainLabels)?.FullName ?? throw new AffectFuseException("--train-labels", "your own features need a training label folder");
                string valDir = parse.GetValue(valLabels)?.FullName ?? throw new AffectFuseException("--val-labels", "your own features need a validation label folder");
                var source = own.Resolve(parse, trainDir);
                settings = settings with { Train = source, Validation = source with { LabelsDir = Directory.Exists(valDir) ? valDir : throw new AffectFuseException(valDir, "label folder does not exist") } };
            }

            var err = CommandRunner.Error();
            var report = TrainingProgressDisplay.Run(progress =>
                TrainingBenchmark.Run(settings, line => err.MarkupLine($"[grey]{Markup.Escape(line)}…[/]"), progress, CommandRunner.Warn));
            Print(report);
            if (parse.GetValue(json) is { } path)
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, OptionsJson.Settings));
            return 0;
        }));
        return command;
    }

    private static void Print(TrainingBenchmarkReport r)
    {
        static string GiB(long bytes) => bytes < 0 ? "n/a" : $"{bytes / (double)(1 << 30):0.00} GiB";
        var t = r.Training;
        AnsiConsole.WriteLine($"data: {r.TrainVideos} + {r.ValidationVideos} videos, {r.TrainFrames:N0} + {r.ValidationFrames:N0} frames, " +
            $"{r.Features.Visual} + {r.Features.Audio} {r.Features.DType.ToString().ToLowerInvariant()}: feature files {GiB(r.FeatureFileBytes)}, in memory {GiB(r.FeatureMemoryBytes)}; loaded in {r.LoadSeconds:F1} s");
        AnsiConsole.WriteLine($"training: window {t.Window}, stride {t.Stride}{(t.RandomPhase ? " (random phase)" : "")}, batch {t.BatchSize}, width {t.Model.Width}, " +
            $"{t.Model.SelfLayers} self + {t.Model.CrossLayers} cross layers; validation window {t.Validation.Window} stride {t.Validation.Stride}; torch threads {r.Threads}");
        var table = new Table().AddColumns("measure", "seconds", "frames", "frames/s", "of bench model");
        table.AddRow("bench model: training steps alone (median)", "", "", $"{r.ModelFramesPerSecond:N0}", "1.00");
        table.AddRow("epoch: window frames trained / whole epoch", $"{r.Epoch.Seconds:F1}", $"{r.Epoch.TrainingFrames:N0}", $"{r.Epoch.FramesPerSecond:N0}", $"{r.Epoch.FramesPerSecond / r.ModelFramesPerSecond:F2}");
        table.AddRow("epoch: data frames / whole epoch", $"{r.Epoch.Seconds:F1}", $"{r.TrainFrames:N0}", $"{r.DataFramesPerSecond:N0}", $"{r.DataFramesPerSecond / r.ModelFramesPerSecond:F2}");
        table.AddRow("  training pass", $"{r.Epoch.TrainingSeconds:F1}", $"{r.Epoch.TrainingFrames:N0}", $"{r.Epoch.TrainingFrames / r.Epoch.TrainingSeconds:N0}", $"{r.Epoch.TrainingFrames / r.Epoch.TrainingSeconds / r.ModelFramesPerSecond:F2}");
        table.AddRow("  validation (soft voting)", $"{r.Epoch.ValidationSeconds:F1}", $"{r.ValidationFrames:N0}", $"{r.ValidationFrames / r.Epoch.ValidationSeconds:N0}", "");
        AnsiConsole.Write(table);
        string verdict = r.PeakRssBytes < 0 ? "unknown" : r.PeakRssBytes <= r.MemoryBoundBytes ? "within" : "OVER";
        AnsiConsole.WriteLine($"peak RSS (load + epoch) {GiB(r.PeakRssBytes)}; bound 1.3 × {GiB(r.FeatureFileBytes)} + 1.5 GiB = {GiB(r.MemoryBoundBytes)}: {verdict}" +
            (r.PeakRssBytes > 0 ? $" ({(double)r.PeakRssBytes / r.MemoryBoundBytes:P0} of the bound, {(double)r.PeakRssBytes / r.FeatureFileBytes:0.00} × the feature bytes)" : ""));
        AnsiConsole.WriteLine($"load average {r.LoadAverageBefore:F1} → {r.LoadAverageAfter:F1} on {Environment.ProcessorCount} cores " +
            "(window frames count each frame once per window it is in, as bench model counts them; data frames count it once)");
    }
}
