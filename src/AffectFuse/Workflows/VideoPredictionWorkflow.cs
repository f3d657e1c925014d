using AffectFuse.Decoding;
using AffectFuse.Data;
using AffectFuse.Features;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Reporting;

namespace AffectFuse.Workflows;

/// <summary>The files <see cref="VideoPredictionWorkflow"/> wrote for one video.</summary>
public sealed record PredictOutputs(VideoPrediction Prediction, string Csv, string Abaw, string Timeline, string Summary, string? Report)
{
    /// <summary>Every person's prediction (<see cref="Faces.FaceSelection.All"/>), in person order; the one prediction otherwise.</summary>
    public IReadOnlyList<VideoPrediction> People { get; init; } = [Prediction];

    /// <summary>Every person's ABAW annotation file, in person order (<c>_left</c>/<c>_right</c> or <c>_personN</c>).</summary>
    public IReadOnlyList<string> AbawFiles { get; init; } = [Abaw];

    /// <summary>Every person's HTML report, in person order, when one was asked for.</summary>
    public IReadOnlyList<string> Reports { get; init; } = Report is null ? [] : [Report];

    /// <summary>A problem worth knowing about the video (fewer frames decoded than its container declares), or null.</summary>
    public string? Warning { get; init; }
}

/// <summary>What to predict and where the outputs go.</summary>
public sealed record PredictRequest
{
    /// <summary>The video file, or an audio file (labelled by <see cref="Decoding.AudioOnlyFrames"/>, face absent).</summary>
    public required string Video { get; init; }

    /// <summary>Output folder (created when missing).</summary>
    public required string OutDir { get; init; }

    /// <summary>Also write a self-contained HTML report here; null = none.</summary>
    public string? Report { get; init; }

    /// <summary>Overrides the model's smoothing half-width δ (frames); null = the model's.</summary>
    public int? SmoothingHalfWidth { get; init; }
}

/// <summary>Predict-a-video: a <see cref="Recognizer"/>'s prediction of one video (or audio file) and its output files (per-frame CSV, ABAW
/// annotation file, timeline PNG, segment summary and, when asked, the HTML report), each written atomically.</summary>
public static class VideoPredictionWorkflow
{
    /// <summary>Checks the outputs can be written, predicts, then writes them. <paramref name="progress"/> hears about the
    /// extraction on the calling thread.</summary>
    public static PredictOutputs Run(Recognizer recognizer, PredictRequest request, IProgress<ExtractionProgress>? progress = null,
        CancellationToken cancel = default)
    {
        InputFile.RequireContent(request.Video, "video or audio file");
        // Every option and path before the work, not after it (and before the output folder is made): a bad value fails now.
        var inference = request.SmoothingHalfWidth is { } delta ? recognizer.Inference with { SmoothingHalfWidth = delta } : recognizer.Inference;
        SlidingWindowPredictor.CheckOptions(inference);
        string outDir = OutputLocation.Folder(request.OutDir);
        string? reportPath = request.Report is null ? null : OutputLocation.File(request.Report);

        var people = recognizer.Pipeline.ExtractPeople(request.Video, progress, cancel);
        var predictions = people.Select(features => recognizer.Predict(features, inference)).ToList();
        var outputs = predictions[0].Person is null
            ? Write(recognizer, request.Video, predictions[0], outDir, reportPath)
            : WritePeople(recognizer, request.Video, predictions, outDir, reportPath);
        return outputs with
        {
            Warning = recognizer.LastExtraction?.Shortfall is { } shortfall ? $"{request.Video}: {shortfall}" : null,
        };
    }

    /// <summary>Writes <paramref name="prediction"/>'s files into <paramref name="outDir"/> (per-frame CSV, ABAW annotation
    /// file, timeline PNG, segment summary), each atomically; returns their paths in that order.</summary>
    public static IReadOnlyList<string> WriteFiles(VideoPrediction prediction, string outDir) => Files(prediction, outDir).Paths;

    // The paths, and the timeline and summary the report shows again, without reading them back from disk.
    private static (string[] Paths, byte[] Timeline, string Summary) Files(VideoPrediction prediction, string outDir)
    {
        string stem = prediction.VideoId;
        string csv = Path.Combine(outDir, stem + ".csv");
        PredictionCsv.Write(csv, prediction);
        string abaw = AbawSubmission.WriteTxt(outDir, stem, prediction.Labels);
        string timeline = Path.Combine(outDir, stem + ".timeline.png");
        byte[] png = TimelinePlot.Render(prediction);
        AtomicFile.WriteAllBytes(timeline, png);
        string summaryText = ExpressionSegments.Summarize(prediction);
        string summary = Path.Combine(outDir, stem + ".summary.txt");
        AtomicFile.WriteAllText(summary, summaryText + "\n");
        return ([csv, abaw, timeline, summary], png, summaryText);
    }

    private static PredictOutputs Write(Recognizer recognizer, string video, VideoPrediction prediction, string outDir, string? reportPath)
    {
        var (files, png, summaryText) = Files(prediction, outDir);
        if (reportPath is not null)
            WriteReport(recognizer, video, prediction, png, summaryText, reportPath);
        return new PredictOutputs(prediction, files[0], files[1], files[2], files[3], reportPath);
    }

    private static string WriteReport(Recognizer recognizer, string video, VideoPrediction prediction, byte[] timeline, string summaryText, string reportPath)
    {
        var provenance = new ReportProvenance { ModelPath = recognizer.ModelPath, DataPath = video, Inference = recognizer.Inference };
        double? speech = prediction.SpeechProbabilities is { Length: > 0 } s ? s.Count(p => p >= 0.5f) / (double)s.Length : null;
        var segments = ExpressionSegments.From(prediction);
        // An audio file has no frame to show.
        var keyframes = new AudioDecoder().Probe(video).HasVideo ? SegmentKeyframes.Render(video, prediction, segments, HtmlReport.MaxSegmentRows) : null;
        HtmlReport.Save(reportPath, HtmlReport.ForPrediction(prediction, provenance, [new ReportImage("Timeline", timeline)], segments,
            // The headline and class shares; the report lists the segments in its own table.
            summary: string.Join("\n\n", summaryText.Split('\n').Take(2)), speechFraction: speech,
            title: $"AffectFuse · {prediction.VideoId}", keyframes: keyframes));
        return reportPath;
    }

    // Every person: one long CSV, an ABAW file, a timeline lane, a summary section and (when asked) a report each.
    private static PredictOutputs WritePeople(Recognizer recognizer, string video, List<VideoPrediction> people, string outDir, string? reportPath)
    {
        string stem = people[0].VideoId;
        var ids = AffWild2Layout.PersonIds(stem, [.. people.Select(p => p.Person!.Value)], [.. people.Select(p => p.Boxes)]);
        var named = people.Select((p, i) => p with { VideoId = ids[i] }).ToList();
        string csv = Path.Combine(outDir, stem + ".csv");
        PredictionCsv.WritePeople(csv, people);
        var abaw = named.Select(p => AbawSubmission.WriteTxt(outDir, p.VideoId, p.Labels)).ToList();
        string timeline = Path.Combine(outDir, stem + ".timeline.png");
        AtomicFile.WriteAllBytes(timeline, TimelinePlot.RenderPeople(named));
        string summary = Path.Combine(outDir, stem + ".summary.txt");
        AtomicFile.WriteAllText(summary, string.Join("\n\n", named.Select(PersonSummary)) + "\n");
        var reports = new List<string>();
        if (reportPath is not null)
            foreach (var p in named)
            {
                string path = Path.Combine(Path.GetDirectoryName(reportPath)!, Path.GetFileNameWithoutExtension(reportPath) + p.VideoId[stem.Length..] + Path.GetExtension(reportPath));
                reports.Add(WriteReport(recognizer, video, p, TimelinePlot.Render(p), ExpressionSegments.Summarize(p), path));
            }
        return new PredictOutputs(people[0], csv, abaw[0], timeline, summary, reports.FirstOrDefault())
        {
            People = people,
            AbawFiles = abaw,
            Reports = reports,
        };
    }

    private static string PersonSummary(VideoPrediction p)
    {
        double face = p.FacePresent.Count(f => f) / (double)Math.Max(1, p.FrameCount);
        double speaking = p.Speaking is { Length: > 0 } s ? s.Count(v => v >= 0.5f) / (double)s.Length : 0;
        return $"{p.VideoId} (person {p.Person}): face in {face:P0} of the frames, speaking in {speaking:P0}\n" + ExpressionSegments.Summarize(p);
    }
}
