using AffectFuse.Audio;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using System.CommandLine;
using AffectFuse.Data;
using AffectFuse.IO;
using AffectFuse.Training;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse train</c>: trains the dual-branch model on labelled feature files.</summary>
public static class TrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "Aff-Wild2-layout root: labels in EXPR_Recognition_Challenge/{Train_Set,Validation_Set}, features in features/ (what `synth` and `extract` write)",
        };
        var source = new FeatureSourceOptions();
        var trainLabels = new Option<DirectoryInfo?>("--train-labels") { Description = "Folder of training EXPR .txt label files" };
        var valLabels = new Option<DirectoryInfo?>("--val-labels") { Description = "Folder of validation EXPR .txt label files" };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (checkpoints, options, log, curves)", Required = true };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this run folder (or its last.ckpt), with its own options; --epochs may raise its count. A folder with no committed epoch starts afresh" };
        var training = new TrainingArguments();
        var visual = new Option<string?>("--visual") { Description = "Train on these visual feature groups of files that hold more (e.g. extracted with --visual all): minixception, faceapi, landmarks, blendshapes [all stored]" };
        var audio = new Option<string?>("--audio") { Description = "Train on these audio feature groups: prosody, embedding [all stored]" };

        var command = new Command("train", "Train the dual-branch Transformer on labelled features; validates with soft voting every epoch and keeps the best checkpoint by validation macro-F1.");
        command.Options.Add(data);
        source.AddTo(command);
        foreach (var o in new Option[] { trainLabels, valLabels, outDir, resume })
            command.Options.Add(o);
        training.AddTo(command);
        command.Options.Add(visual);
        command.Options.Add(audio);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var (trainSource, valSource) = Sources(parse, parse.GetValue(data), source, parse.GetValue(trainLabels), parse.GetValue(valLabels));
            var request = new TrainingRequest
            {
                Train = trainSource,
                Validation = valSource,
                Options = training.Resolve(parse, resuming: parse.GetValue(resume) is not null),
                OutDir = parse.GetValue(outDir)!.FullName,
                ResumeFrom = parse.GetValue(resume),
                VisualGroups = parse.GetValue(visual) is { } v ? VisualFeatureLayout.ParseOption(v) : null,
                AudioGroups = parse.GetValue(audio) is { } a ? AudioFeatureSets.ParseOption(a) : null,
            };
            var result = TrainingProgressDisplay.Run(progress => TrainingWorkflow.Run(request, progress, PrintData,
                m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"), CommandRunner.Warn));
            Print(result);
            return 0;
        }));
        return command;
    }

    // --data ROOT reads the Aff-Wild2 layout; --train-labels/--val-labels with a feature source name the folders one by one.
    private static (DatasetSource Train, DatasetSource Validation) Sources(ParseResult parse, DirectoryInfo? root, FeatureSourceOptions source,
        DirectoryInfo? trainLabels, DirectoryInfo? valLabels)
    {
        string? trainDir = trainLabels?.FullName ?? (root is null ? null : AffWild2Layout.LabelsDir(root.FullName, AffWild2Split.Train));
        string? valDir = valLabels?.FullName ?? (root is null ? null : AffWild2Layout.LabelsDir(root.FullName, AffWild2Split.Validation));
        if (trainDir is null || valDir is null)
            throw new AffectFuseException(null, "name the data: --data DIR, or --train-labels and --val-labels with --features (or --visual-npy/--audio-npy)");
        bool ownFeatures = parse.GetValue(source.FeaturesOption) is not null || parse.GetValue(source.VisualNpyOption) is not null || parse.GetValue(source.AudioNpyOption) is not null;
        var train = root is not null && !ownFeatures
            ? new DatasetSource { FeaturesDir = AffWild2Layout.FeaturesDir(root.FullName), LabelsDir = RequireDir(trainDir) }
            : source.Resolve(parse, RequireDir(trainDir));
        return (train, train with { LabelsDir = RequireDir(valDir) });
    }

    private static void PrintData(TrainingData d)
        => AnsiConsole.MarkupLine($"[bold]train[/] {d.TrainVideos} videos, {d.TrainFrames:N0} frames · [bold]validation[/] {d.ValidationVideos} videos, {d.ValidationFrames:N0} frames · " +
            $"features in memory {d.FeatureBytes / (double)(1 << 30):0.00} GiB");

    private static void Print(TrainingResult result)
    {
        var table = new Table().AddColumns("epoch", "train loss", "val macro-F1", "val accuracy", "lr", "seconds");
        foreach (var r in result.History)
            table.AddRow(r.Epoch.ToString(), r.TrainLoss.ToString("F4"), r.ValidationMacroF1.ToString("F4"), r.ValidationAccuracy.ToString("P1"), r.LearningRate.ToString("G3"), r.Seconds.ToString("F1"));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"best validation macro-F1 [bold]{result.BestValidationMacroF1:F4}[/] at epoch {result.BestEpoch}{(result.StoppedEarly ? " (stopped early)" : "")} → {Markup.Escape(result.BestCheckpoint)}");
        if (result.LastEpoch is { } t)
            AnsiConsole.WriteLine($"last epoch: {t.Seconds:F1} s ({t.TrainingSeconds:F1} s training, {t.ValidationSeconds:F1} s validation), " +
                $"{t.FramesPerSecond:N0} window frames/s; peak memory {ProcessMemory.PeakBytes() / (double)(1 << 30):0.00} GiB");
    }

    private static string RequireDir(string dir) =>
        Directory.Exists(dir) ? dir : throw new AffectFuseException(dir, "label folder does not exist");
}
