using System.CommandLine;
using AffectFuse.Evaluation;
using AffectFuse.Training;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse evaluate-clips</c>: scores a checkpoint on clip-labelled data (most emotion corpora), each clip
/// labelled by the majority of its frames, beside the model with one stream masked and each face net alone.</summary>
public static class EvaluateClipsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of .npz feature files (from 'extract'), or of media files (searched recursively), which are extracted first" };
        var labels = new Option<string>("--labels") { Description = "CSV of clip,label: clip = file name without extension or path relative to the folder; label = class name, synonym (happy, angry, calm…) or 0-7", Required = true };
        var model = new Option<string?>("--model") { Description = "Checkpoint from 'affectfuse train' (default: the model shipped with AffectFuse)" };
        var cache = new Option<string?>("--features-cache") { Description = "Keep the features extracted from media files here, and reuse them next time (default: a temporary folder, removed)" };
        var json = new Option<string?>("--json") { Description = "Write the scores and each clip's labels as JSON to this file" };
        var perClip = new Option<string?>("--per-clip") { Description = "Write one CSV row per clip (truth and each system's label) to this file" };
        var confusionPng = new Option<string?>("--confusion-png") { Description = "Write the model's clip confusion-matrix heatmap to this PNG" };
        var extraction = new ExtractionArguments();

        var command = new Command("evaluate-clips", "Score a checkpoint on clip-labelled media or features: each clip predicted as 'predict' does and labelled by the majority " +
            "of its frames; clip accuracy, macro-F1 and confusion for the model beside the model with the face or the voice masked and each face net alone.");
        command.Arguments.Add(folder);
        foreach (var option in new Option[] { labels, model, cache, json, perClip, confusionPng })
            command.Options.Add(option);
        extraction.AddTo(command);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            string modelPath = parse.GetValue(model) ?? DefaultModel.Require();
            var request = new ClipEvaluationRequest
            {
                Folder = parse.GetValue(folder)!,
                Labels = parse.GetValue(labels)!,
                ModelPath = modelPath,
                Extraction = extraction.Resolve(parse),
                FeaturesCache = parse.GetValue(cache),
                Json = parse.GetValue(json),
                PerClipCsv = parse.GetValue(perClip),
                ConfusionPng = parse.GetValue(confusionPng),
            };
            // Before the checkpoint loads: a wrong folder or label file is told at once.
            request.Validate();
            AffectFuse.IO.InputFile.RequireContent(modelPath, "checkpoint");
            var checkpoint = Checkpoint.Load(modelPath);
            var outcome = ProgressDisplay.Start(ctx =>
            {
                var phases = ProgressDisplay.Phases(ctx);
                return ClipEvaluationWorkflow.Run(checkpoint, request, new SynchronousProgress<ClipEvaluationProgress>(p => phases(p.Phase, p.Done, p.Total)), CommandRunner.Warn);
            });
            Print(request, outcome);
            return 0;
        }));
        return command;
    }

    private static void Print(ClipEvaluationRequest request, ClipEvaluationOutcome outcome)
    {
        var result = outcome.Result;
        var o = outcome.Inference;
        string present = string.Join(", ", result.ClassesPresent.Select(c => ExpressionClasses.Names[c]));
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(request.ModelPath)}[/] on {result.Clips.Count} clips of {Markup.Escape(request.Folder)}" +
            $"{(outcome.Media ? $" ({outcome.Extracted} extracted now)" : "")}; classes present: {Markup.Escape(present)} " +
            $"(window {o.Window}, stride {o.Stride}, smoothing δ {o.SmoothingHalfWidth}; a clip takes the majority label of its frames)");

        var table = new Table().Title("Clip-majority scores (macro-F1 over the classes present)").AddColumns("System", "Accuracy", "Macro-F1", "No label");
        foreach (var s in result.Systems)
        {
            bool model = s.System == ComparedSystem.Model;
            string Cell(string text) => model ? $"[bold]{text}[/]" : text;
            table.AddRow(Cell(Markup.Escape(s.System.Name)), Cell(EvaluateCommand.F(s.Accuracy)), Cell(EvaluateCommand.F(s.MacroF1)), s.Unlabelled.Sum().ToString());
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("A face net votes on its face frames only; a clip with none gets no label and counts as wrong. face-api's mean takes its probabilities averaged over the face frames.");
        AnsiConsole.Write(EvaluateCommand.PerClassTable(result.ClassesPresent.Select(c => result.Model.PerClass[c]), "Per class (model)", "Clips"));
        AnsiConsole.Write(EvaluateCommand.ConfusionTable(result.Model.Confusion, "Confusion of the model (clips; rows = truth, columns = prediction)"));
        foreach (var (path, what) in new[] { (request.Json, "scores"), (request.PerClipCsv, "per-clip labels"), (request.ConfusionPng, "confusion matrix") })
            if (path is not null)
                AnsiConsole.MarkupLine($"{what} written to [blue]{Markup.Escape(path)}[/]");
    }
}
