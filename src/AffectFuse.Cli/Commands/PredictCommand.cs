using System.CommandLine;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.Inference;
using AffectFuse.Workflows;
using Spectre.Console;

namespace AffectFuse.Cli.Commands;

/// <summary><c>affectfuse predict</c>: a video or an audio file in, per-frame expression labels out (CSV, ABAW file, timeline,
/// summary, report).</summary>
public static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var video = new Argument<FileInfo>("video") { Description = "The video file, or an audio file (wav, flac, mp3, m4a, ogg, …: its streams decide, not its name)" };
        var model = new Option<FileInfo?>("--model") { Description = "Checkpoint from 'affectfuse train' (default: the model shipped with AffectFuse)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder [./<video name>.affectfuse]" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write a self-contained HTML report here" };
        var smooth = new Option<int?>("--smooth") { Description = "Override the model's centred smoothing half-width δ (frames)" };
        var landmarks = new Option<bool>("--landmarks") { Description = "Also run face-api's expression and 68-landmark nets for the CSV / report columns of what the face nets saw (about 1 ms more per face), even when the model does not read them" };
        var blendshapes = new Option<bool>("--blendshapes") { Description = "Also run MediaPipe's face mesh, iris and blendshape nets for the CSV's 52 bs_* columns and the report's blendshape columns (about 17 ms more per face), even when the model does not read them" };
        var extraction = new ExtractionArguments();
        var command = new Command("predict", "Label every frame of a video with one of the 8 expression classes, from the face and the voice together; " +
            "writes a per-frame CSV (probabilities, face present, speech probability, face box), the ABAW annotation file, a timeline PNG and a segment summary. " +
            "With --face all, every person: the CSV in long format with person and speaking columns, an ABAW file per person (_left/_right, or _personN), " +
            "a timeline lane and a summary section each. " +
            $"An audio file (no video stream) is labelled from the voice alone, face absent: {AudioOnlyFrames.Rule}.");
        command.Arguments.Add(video);
        foreach (var o in new Option[] { model, output, report, smooth, landmarks, blendshapes })
            command.Options.Add(o);
        extraction.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var input = parse.GetValue(video)!;
            string outDir = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.GetFileNameWithoutExtension(input.Name) + ".affectfuse");
            var outputs = Run(input.FullName, parse.GetValue(model)?.FullName, outDir, extraction.Resolve(parse), parse.GetValue(report)?.FullName, parse.GetValue(smooth),
                parse.GetValue(landmarks), parse.GetValue(blendshapes));
            Print(outputs);
            return 0;
        }));
        return command;
    }

    /// <summary>Predicts <paramref name="video"/> with a progress bar (on stderr) and writes every output into <paramref name="outDir"/>.</summary>
    public static PredictOutputs Run(string video, string? modelPath, string outDir, ExtractionOptions extraction, string? reportPath = null, int? smoothing = null,
        bool faceCues = false, bool blendshapes = false)
    {
        // Before the model loads: a wrong path is told at once.
        AffectFuse.IO.InputFile.RequireContent(video, "video or audio file");
        using var recognizer = Recognizer.Load(modelPath, new RecognizerOptions { Extraction = extraction, FaceCues = faceCues, Blendshapes = blendshapes });
        // Load the extraction models before the progress display: on a busy machine loading them took over its one-second
        // refresh, so a video refused at once still got a "0%" line before its one error line.
        recognizer.PrepareExtraction();
        var request = new PredictRequest { Video = video, OutDir = outDir, Report = reportPath, SmoothingHalfWidth = smoothing };
        var outputs = ProgressDisplay.Start(ctx =>
        {
            // The bar appears with the first report, not before: a file refused before its first frame (unreadable, or with
            // neither a video nor an audio stream, which ffprobe takes a moment to say) is its one error line alone.
            ProgressTask? task = null;
            var written = VideoPredictionWorkflow.Run(recognizer, request, new SynchronousProgress<ExtractionProgress>(p =>
            {
                task ??= ctx.AddTask(Markup.Escape(Path.GetFileName(video)), maxValue: 1);
                task.MaxValue = Math.Max(1, p.FramesExpected ?? p.FramesDone);
                task.Value = p.FramesDone;
                task.Description = $"{Markup.Escape(Path.GetFileName(video))} · {p.FramesPerSecond:F0} frames/s";
            }));
            task?.Value = task.MaxValue;
            return written;
        });
        if (outputs.Warning is { } warning)
            CommandRunner.Warn(warning);
        return outputs;
    }

    /// <summary>Prints the segment summary and where the outputs are.</summary>
    public static void Print(PredictOutputs o)
    {
        AnsiConsole.WriteLine(File.ReadAllText(o.Summary).TrimEnd());
        var table = new Table().AddColumns("output", "file");
        table.AddRow("per-frame CSV", Markup.Escape(o.Csv));
        foreach (string abaw in o.AbawFiles)
            table.AddRow("ABAW annotation file", Markup.Escape(abaw));
        table.AddRow("timeline", Markup.Escape(o.Timeline));
        table.AddRow("summary", Markup.Escape(o.Summary));
        foreach (string report in o.Reports)
            table.AddRow("HTML report", Markup.Escape(report));
        AnsiConsole.Write(table);
    }
}
