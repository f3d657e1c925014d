using AffectFuse.Audio;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using System.CommandLine;
using AffectFuse.Data;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
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
        var config = new Option<FileInfo?>("--config") { Description = "TrainOptions JSON (e.g. a previous run's best.ckpt.options.json); flags below override it" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run saved in this run folder (or its last.ckpt), with its own options; --epochs may raise its count. A folder with no committed epoch starts afresh" };
        var window = new Option<int?>("--window") { Description = "Window length T in frames [128]" };
        var stride = new Option<int?>("--stride") { Description = "Training window stride, at most the window [64]" };
        var randomPhase = new Option<bool>("--random-phase") { Description = "Shift each video's windows by a random offset every epoch (with --stride equal to --window: every frame once per epoch, the fastest full pass at Aff-Wild2 scale)" };
        var batch = new Option<int?>("--batch") { Description = "Windows per batch [16]" };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum epochs [30]" };
        var lr = new Option<double?>("--lr") { Description = "Peak AdamW learning rate [1e-3]" };
        var patience = new Option<int?>("--patience") { Description = "Early-stopping patience in epochs [6]" };
        var seed = new Option<int?>("--seed") { Description = "Random seed [1]" };
        var gamma = new Option<double?>("--gamma") { Description = "Focal-loss γ; 0 = cross-entropy [2]" };
        var weighting = new Option<ClassWeighting?>("--class-weighting") { Description = "Focal-loss α: Uniform or InverseFrequency [InverseFrequency]" };
        var pVisual = new Option<double?>("--p-visual") { Description = "Modality dropout: probability of dropping the face stream [0.2]" };
        var pAudio = new Option<double?>("--p-audio") { Description = "Modality dropout: probability of dropping the audio stream [0.2]" };
        var noDropout = new Option<bool>("--no-modality-dropout") { Description = "Disable modality dropout" };
        var width = new Option<int?>("--width") { Description = "Model width d [128]" };
        var layers = new Option<int?>("--layers") { Description = "Self-attention layers per branch [2]" };
        var modalities = new Option<ModalityUse?>("--modalities") { Description = "Both, VisualOnly or AudioOnly [Both]" };
        var fusion = new Option<FusionKind?>("--fusion") { Description = "CrossAttentionGated or Concat [CrossAttentionGated]" };
        var unsafeAttention = new Option<bool>("--unsafe-attention") { Description = "Plain masked softmax instead of safe attention (ablation; may produce NaN)" };
        var threads = new Option<int?>("--threads") { Description = "Torch threads [library default]" };
        var visual = new Option<string?>("--visual") { Description = "Train on these visual feature groups of files that hold more (e.g. extracted with --visual all): minixception, faceapi, landmarks [all stored]" };
        var audio = new Option<string?>("--audio") { Description = "Train on these audio feature groups: prosody, embedding [all stored]" };

        var command = new Command("train", "Train the dual-branch Transformer on labelled features; validates with soft voting every epoch and keeps the best checkpoint by validation macro-F1.");
        command.Options.Add(data);
        source.AddTo(command);
        foreach (var o in new Option[] { trainLabels, valLabels, outDir, config, resume, window, stride, randomPhase, batch, epochs, lr, patience, seed, gamma, weighting,
                     pVisual, pAudio, noDropout, width, layers, modalities, fusion, unsafeAttention, threads, visual, audio })
            command.Options.Add(o);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var root = parse.GetValue(data);
            string? trainDir = parse.GetValue(trainLabels)?.FullName ?? (root is null ? null : AffWild2Layout.LabelsDir(root.FullName, AffWild2Split.Train));
            string? valDir = parse.GetValue(valLabels)?.FullName ?? (root is null ? null : AffWild2Layout.LabelsDir(root.FullName, AffWild2Split.Validation));
            if (trainDir is null || valDir is null)
                throw new AffectFuseException(null, "name the data: --data DIR, or --train-labels and --val-labels with --features (or --visual-npy/--audio-npy)");
            DatasetSource trainSource, valSource;
            if (root is not null && parse.GetValue(source.FeaturesOption) is null && parse.GetValue(source.VisualNpyOption) is null && parse.GetValue(source.AudioNpyOption) is null)
            {
                string features = AffWild2Layout.FeaturesDir(root.FullName);
                trainSource = new DatasetSource { FeaturesDir = features, LabelsDir = RequireDir(trainDir) };
                valSource = new DatasetSource { FeaturesDir = features, LabelsDir = RequireDir(valDir) };
            }
            else
            {
                trainSource = source.Resolve(parse, RequireDir(trainDir));
                valSource = trainSource with { LabelsDir = RequireDir(valDir) };
            }

            var options = ReadOptions(parse.GetValue(config));
            var model = options.Model;
            model = model with
            {
                Width = parse.GetValue(width) ?? model.Width,
                SelfLayers = parse.GetValue(layers) ?? model.SelfLayers,
                Modalities = parse.GetValue(modalities) ?? model.Modalities,
                Fusion = parse.GetValue(fusion) ?? model.Fusion,
                SafeAttention = !parse.GetValue(unsafeAttention) && model.SafeAttention,
            };
            var dropout = options.ModalityDropout ?? new ModalityDropoutOptions();
            dropout = dropout with
            {
                VisualProbability = parse.GetValue(pVisual) ?? dropout.VisualProbability,
                AudioProbability = parse.GetValue(pAudio) ?? dropout.AudioProbability,
            };
            int w = parse.GetValue(window) ?? options.Window;
            options = options with
            {
                Window = w,
                Stride = parse.GetValue(stride) ?? options.Stride,
                RandomPhase = parse.GetValue(randomPhase) || options.RandomPhase,
                BatchSize = parse.GetValue(batch) ?? options.BatchSize,
                // A resumed run keeps its own count unless --epochs raises it (the trainer takes the larger).
                Epochs = parse.GetValue(epochs) ?? (parse.GetValue(resume) is null ? options.Epochs : 1),
                LearningRate = parse.GetValue(lr) ?? options.LearningRate,
                Patience = parse.GetValue(patience) ?? options.Patience,
                Seed = parse.GetValue(seed) ?? options.Seed,
                FocalGamma = parse.GetValue(gamma) ?? options.FocalGamma,
                ClassWeighting = parse.GetValue(weighting) ?? options.ClassWeighting,
                ModalityDropout = parse.GetValue(noDropout) ? null : dropout,
                Model = model,
                Validation = options.Validation with { Window = w },
                Threads = parse.GetValue(threads) ?? options.Threads,
            };

            // Every option is checked before tens of gigabytes of features are read.
            options.Validate();
            // Checked, not made: a resume the trainer then refuses leaves no folder behind.
            string outPath = OutputLocation.FolderCanBeMade(parse.GetValue(outDir)!.FullName);
            VisualFeatureGroups? visualGroups = parse.GetValue(visual) is { } v ? VisualFeatureLayout.ParseOption(v) : null;
            AudioFeatureGroups? audioGroups = parse.GetValue(audio) is { } a ? AudioFeatureSets.ParseOption(a) : null;
            List<LabelledVideo> Load(DatasetSource source) => DatasetLoader.LoadLabelled(source, CommandRunner.Warn)
                .Select(x => x with { Features = FeatureSetSelection.Select(x.Features, visualGroups, audioGroups) }).ToList();
            var train = Load(trainSource);
            var validation = Load(valSource);
            AnsiConsole.MarkupLine($"[bold]train[/] {train.Count} videos, {train.Sum(v => v.Features.FrameCount):N0} frames · [bold]validation[/] {validation.Count} videos, {validation.Sum(v => v.Features.FrameCount):N0} frames · " +
                $"features in memory {train.Concat(validation).Sum(v => v.Features.FeatureBytes) / (double)(1 << 30):0.00} GiB");

            string? resumeFrom = parse.GetValue(resume) is { } saved ? Path.GetFullPath(saved) : null;
            var trainer = new Trainer(outPath, m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"), new TrainingReportFiles());
            var result = TrainingProgressDisplay.Run(progress =>
                trainer.Train(train, validation, options, progress, CancellationToken.None, resumeFrom));

            var table = new Table().AddColumns("epoch", "train loss", "val macro-F1", "val accuracy", "lr", "seconds");
            foreach (var r in result.History)
                table.AddRow(r.Epoch.ToString(), r.TrainLoss.ToString("F4"), r.ValidationMacroF1.ToString("F4"), r.ValidationAccuracy.ToString("P1"), r.LearningRate.ToString("G3"), r.Seconds.ToString("F1"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"best validation macro-F1 [bold]{result.BestValidationMacroF1:F4}[/] at epoch {result.BestEpoch}{(result.StoppedEarly ? " (stopped early)" : "")} → {Markup.Escape(result.BestCheckpoint)}");
            if (result.LastEpoch is { } t)
                AnsiConsole.WriteLine($"last epoch: {t.Seconds:F1} s ({t.TrainingSeconds:F1} s training, {t.ValidationSeconds:F1} s validation), " +
                    $"{t.FramesPerSecond:N0} window frames/s; peak memory {ProcessMemory.PeakBytes() / (double)(1 << 30):0.00} GiB");
            return 0;
        }));
        return command;
    }

    private static string RequireDir(string dir) =>
        Directory.Exists(dir) ? dir : throw new AffectFuseException(dir, "label folder does not exist");

    /// <summary>The options in a <c>--config</c> file, checked and naming the file in any error, or the defaults without one.</summary>
    internal static TrainOptions ReadOptions(FileInfo? file)
    {
        if (file is null) return new TrainOptions();
        var options = OptionsJson.ReadFile<TrainOptions>(file.FullName, "config");
        try
        {
            options.Validate();
        }
        catch (AffectFuseException e)
        {
            throw new AffectFuseException(file.FullName, e.Message, e);
        }
        return options;
    }
}
