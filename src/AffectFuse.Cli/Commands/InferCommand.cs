using AffectFuse.Features;
using AffectFuse.IO;
using System.CommandLine;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse infer</c>: per-frame predictions for every video of a feature folder, as CSVs and ABAW submission files.</summary>
public static class InferCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var shared = new PredictionArguments();
        var output = new Option<string>("--out") { Description = "Folder for the per-video prediction CSVs.", Required = true };
        var abawCsv = new Option<string?>("--abaw-csv") { Description = "Also write the single-CSV ABAW submission (image_location,label for every frame)." };
        var shard = new Option<string?>("--shard") { Description = "Predict only shard i of N (0-based, e.g. 0/4): shards balanced by the size of each video's feature files, the same on every machine" };
        var json = new Option<string?>("--json") { Description = "Also write what the run did (videos, frames, time) as JSON to this file" };
        var abawTxt = new Option<string?>("--abaw-txt") { Description = "Also write one annotation-format .txt per video (older ABAW submissions) into this folder." };

        var command = new Command("infer", "Predict every frame of every video in a feature folder (sliding-window soft voting).");
        shared.AddTo(command);
        foreach (var option in new Option[] { output, abawCsv, abawTxt, shard, json })
            command.Options.Add(option);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = shared.Source(parse, labelsDir: null);
            var checkpoint = shared.LoadCheckpoint(parse);
            var options = shared.Inference(parse, checkpoint);
            string? jsonPath = parse.GetValue(json) is { } j ? OutputLocation.File(j) : null;
            var outputs = new InferenceOutputs { OutDir = parse.GetValue(output)!, AbawCsv = parse.GetValue(abawCsv), AbawTxtDir = parse.GetValue(abawTxt) };
            var result = ProgressDisplay.Start(ctx =>
            {
                var task = ctx.AddTask("infer", maxValue: 1);
                return FolderInference.Run(checkpoint, source, options, outputs, new SynchronousProgress<(int Done, int Count, string VideoId)>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Count);
                    task.Value = p.Done;
                    task.Description = Markup.Escape(p.VideoId.Length > 0 ? p.VideoId : "infer");
                }), CommandRunner.Warn, parse.GetValue(shard) is { } shardText ? ShardArgument.Parse(shardText) : null);
            });
            if (jsonPath is not null)
                OptionsJson.WriteFile(jsonPath, result);

            AnsiConsole.MarkupLine($"predicted {result.Frames} frames of {result.Videos} videos in {result.Seconds:0.0} s " +
                $"({result.Frames / Math.Max(result.Seconds, 1e-9):0} frames/s); CSVs in [blue]{Markup.Escape(Path.GetFullPath(outputs.OutDir))}[/]");
            if (outputs.AbawCsv is not null)
                AnsiConsole.MarkupLine($"ABAW submission CSV: [blue]{Markup.Escape(outputs.AbawCsv)}[/]");
            if (outputs.AbawTxtDir is not null)
                AnsiConsole.MarkupLine($"ABAW per-video .txt files: [blue]{Markup.Escape(outputs.AbawTxtDir)}[/]");
            return 0;
        }));
        return command;
    }
}
