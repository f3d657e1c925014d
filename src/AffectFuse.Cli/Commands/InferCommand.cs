using System.CommandLine;
using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Reporting;
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
        var abawTxt = new Option<string?>("--abaw-txt") { Description = "Also write one annotation-format .txt per video (older ABAW submissions) into this folder." };

        var command = new Command("infer", "Predict every frame of every video in a feature folder (sliding-window soft voting).");
        shared.AddTo(command);
        foreach (var option in new Option[] { output, abawCsv, abawTxt })
            command.Options.Add(option);

        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var source = shared.Source(parse, labelsDir: null);
            var checkpoint = shared.LoadCheckpoint(parse);
            var options = shared.Inference(parse, checkpoint);
            string outDir = parse.GetValue(output)!;
            string? csvPath = parse.GetValue(abawCsv), txtDir = parse.GetValue(abawTxt);
            int expected = PredictionArguments.CountVideos(source);
            if (expected == 0)
                throw new AffectFuseException(source.FeaturesDir ?? source.VisualNpyDir, "no feature files found");

            // Labels only (4 bytes a frame) are kept for the single ABAW CSV, which is written once all videos are done.
            var submission = new List<(string, IReadOnlyList<int>)>();
            long frames = 0;
            int videoCount = 0;
            var clock = Stopwatch.StartNew();
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("infer", maxValue: expected);
                    foreach (var stored in DatasetLoader.LoadFeatures(source))
                    {
                        var video = PredictionArguments.Fit(checkpoint.Model.Options, stored, source);
                        task.Description = Markup.Escape(video.VideoId);
                        var prediction = VideoPredictor.Predict(checkpoint.Model, video, options);
                        PredictionCsv.Write(Path.Combine(outDir, video.VideoId + ".csv"), prediction);
                        if (txtDir is not null)
                            AbawSubmission.WriteTxt(txtDir, video.VideoId, prediction.Labels);
                        if (csvPath is not null)
                            submission.Add((video.VideoId, prediction.Labels));
                        frames += video.FrameCount;
                        videoCount++;
                        if (task.Value + 1 > task.MaxValue)
                            task.MaxValue = task.Value + 1;
                        task.Increment(1);
                    }
                    task.Description = "infer";
                });
            if (csvPath is not null)
                AbawSubmission.WriteCsv(csvPath, submission);

            double seconds = clock.Elapsed.TotalSeconds;
            AnsiConsole.MarkupLine($"predicted {frames} frames of {videoCount} videos in {seconds:0.0} s " +
                $"({frames / Math.Max(seconds, 1e-9):0} frames/s); CSVs in [blue]{Markup.Escape(outDir)}[/]");
            if (csvPath is not null)
                AnsiConsole.MarkupLine($"ABAW submission CSV: [blue]{Markup.Escape(csvPath)}[/]");
            if (txtDir is not null)
                AnsiConsole.MarkupLine($"ABAW per-video .txt files: [blue]{Markup.Escape(txtDir)}[/]");
            return 0;
        }));
        return command;
    }
}
