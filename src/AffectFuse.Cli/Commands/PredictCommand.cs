using System.CommandLine;
using AffectFuse.Features;
using AffectFuse.Inference;
using AffectFuse.Reporting;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary>What <c>predict</c> wrote for one video.</summary>
public sealed record PredictOutputs(VideoPrediction Prediction, string Csv, string Abaw, string Timeline, string Summary, string? Report);

/// <summary><c>affectfuse predict</c>: a video in, per-frame expression labels out (CSV, ABAW file, timeline, summary, report).</summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var video = new Argument<FileInfo>("video") { Description = "The video file" };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint from 'affectfuse train' (default: the model shipped with AffectFuse)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder [./<video name>.affectfuse]" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write a self-contained HTML report here" };
        var smooth = new Option<int?>("--smooth") { Description = "Override the model's centred smoothing half-width δ (frames)" };
        var landmarks = new Option<bool>("--landmarks") { Description = "Also run face-api's expression and 68-landmark nets for the CSV / report columns of what the face nets saw (about 1 ms more per face), even when the model does not read them" };
        var extraction = new ExtractionArguments();
        var command = new Command("predict", "Label every frame of a video with one of the 8 expression classes, from the face and the voice together; " +
            "writes a per-frame CSV (probabilities, face present, speech probability), the ABAW annotation file, a timeline PNG and a segment summary.");
        command.Arguments.Add(video);
        foreach (var o in new Option[] { model, output, report, smooth, landmarks })
            command.Options.Add(o);
        extraction.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var input = parse.GetValue(video)!;
            string outDir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.GetFileNameWithoutExtension(input.Name) + ".affectfuse");
            var outputs = Run(input.FullName, parse.GetValue(model)?.FullName, outDir, extraction.Resolve(parse), parse.GetValue(report)?.FullName, parse.GetValue(smooth),
                parse.GetValue(landmarks));
            Print(outputs);
            return 0;
        }));
        return command;
    }

    /// <summary>Predicts <paramref name="video"/> with a progress bar and writes every output into <paramref name="outDir"/>.</summary>
    public static PredictOutputs Run(string video, string? modelPath, string outDir, ExtractionOptions extraction, string? reportPath = null, int? smoothing = null,
        bool faceCues = false)
    {
        if (!File.Exists(video))
            throw new AffectFuseException(video, "video not found");
        using var recognizer = Recognizer.Load(modelPath, new RecognizerOptions { Extraction = extraction, FaceCues = faceCues });
        VideoPrediction prediction = null!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Path.GetFileName(video), maxValue: 1);
                var progress = new SynchronousProgress<ExtractionProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.FramesExpected ?? p.FramesDone);
                    task.Value = p.FramesDone;
                    task.Description = $"{Path.GetFileName(video)} · {p.FramesPerSecond:F0} frames/s";
                });
                var features = recognizer.ExtractFeatures(video, progress);
                prediction = smoothing is { } delta
                    ? recognizer.Predict(features, recognizer.Inference with { SmoothingHalfWidth = delta })
                    : recognizer.Predict(features);
                task.Value = task.MaxValue;
            });

        Directory.CreateDirectory(outDir);
        string stem = prediction.VideoId;
        string csv = Path.Combine(outDir, stem + ".csv");
        PredictionCsv.Write(csv, prediction);
        string abaw = AbawSubmission.WriteTxt(outDir, stem, prediction.Labels);
        string timeline = Path.Combine(outDir, stem + ".timeline.png");
        byte[] png = TimelinePlot.Render(prediction);
        IO.AtomicFile.WriteAllBytes(timeline, png);
        string summaryText = ExpressionSegments.Summarize(prediction);
        string summary = Path.Combine(outDir, stem + ".summary.txt");
        IO.AtomicFile.WriteAllText(summary, summaryText + "\n");
        if (reportPath is not null)
        {
            var provenance = new ReportProvenance { ModelPath = recognizer.ModelPath, DataPath = video, Inference = recognizer.Inference };
            double? speech = prediction.SpeechProbabilities is { Length: > 0 } s ? s.Count(p => p >= 0.5f) / (double)s.Length : null;
            HtmlReport.Save(reportPath, HtmlReport.ForPrediction(prediction, provenance, [new ReportImage("Timeline", png)],
                // The headline and class shares; the report lists the segments in its own table.
                summary: string.Join("\n\n", summaryText.Split('\n').Take(2)), speechFraction: speech,
                title: $"AffectFuse · {stem}"));
        }
        return new PredictOutputs(prediction, csv, abaw, timeline, summary, reportPath);
    }

    /// <summary>Prints the segment summary and where the outputs are.</summary>
    public static void Print(PredictOutputs o)
    {
        AnsiConsole.WriteLine(File.ReadAllText(o.Summary).TrimEnd());
        var table = new Table().AddColumns("output", "file");
        table.AddRow("per-frame CSV", Markup.Escape(o.Csv));
        table.AddRow("ABAW annotation file", Markup.Escape(o.Abaw));
        table.AddRow("timeline", Markup.Escape(o.Timeline));
        table.AddRow("summary", Markup.Escape(o.Summary));
        if (o.Report is not null) table.AddRow("HTML report", Markup.Escape(o.Report));
        AnsiConsole.Write(table);
    }
}
