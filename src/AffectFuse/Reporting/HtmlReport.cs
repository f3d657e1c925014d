using System.Globalization;
using System.Reflection;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Self-contained HTML reports (inline CSS, images as base64 PNG data URIs, no scripts, fonts or links) that
/// read on a phone and print cleanly: one for an evaluation, one for a single video's predictions.</summary>
internal static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Longest segment list written out in full; longer ones are cut with a note (the per-class summary covers all).</summary>
    public const int MaxSegmentRows = 300;

    /// <summary>The AffectFuse version that writes the reports.</summary>
    public static string Version { get; } =
        typeof(HtmlReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HtmlReport).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>Writes a report made by <see cref="ForEvaluation"/> or <see cref="ForPrediction"/> atomically.</summary>
    public static void Save(string path, string html) => AtomicFile.WriteAllText(path, html);

    /// <summary>The evaluation report: headline scores, what was evaluated, per-class table and bars, confusion matrix
    /// (shaded table and heatmap), the face/audio condition split, the systems scored beside the model, and, when given,
    /// per-video scores, the sweep and extra images such as timelines.</summary>
    /// <param name="result">Overall and per-condition scores.</param>
    /// <param name="provenance">Model, data and settings the result came from.</param>
    /// <param name="videos">The videos scored, for the per-video table; null leaves it out.</param>
    /// <param name="sweep">Settings tried before scoring, for the sweep table; null leaves it out.</param>
    /// <param name="images">Further captioned PNGs (per-video timelines).</param>
    /// <param name="title">Page title; default "AffectFuse evaluation".</param>
    public static string ForEvaluation(EvaluationResult result, ReportProvenance provenance, IReadOnlyList<EvaluatedVideo>? videos = null,
        SweepResult? sweep = null, IReadOnlyList<ReportImage>? images = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(provenance);
        var s = result.Overall;
        var html = Begin(title ?? "AffectFuse evaluation", provenance);

        var cards = new List<(string, string, string?)>
        {
            ("Macro-F1", F4(s.MacroF1), "mean F1 over the 8 classes"),
            ("Accuracy", F4(s.Accuracy), Pct(s.Accuracy)),
            ("Annotated frames", s.Frames.ToString("N0", Inv), null),
        };
        if (videos is not null)
            cards.Add(("Videos", videos.Count.ToString("N0", Inv), null));
        Cards(html, "headline", cards);

        Provenance(html, provenance, "What was evaluated");

        html.Open("section", ("id", "per-class")).Element("h2", "Per class");
        PerClassTable(html, s);
        html.Figure(PerClassScoresPlot.Render(s), "Per-class precision, recall and F1; n = true frames of the class", "per-class-png");
        html.Close();

        html.Open("section", ("id", "confusion")).Element("h2", "Confusion matrix");
        html.Element("p", "Rows are the true class, columns the prediction; each cell shows the frame count and its share of the true class (shading follows the share).", ("class", "note"));
        ConfusionTable(html, s.Confusion);
        html.Figure(ConfusionMatrixPlot.Render(s.Confusion, $"macro-F1 {F4(s.MacroF1)}, accuracy {Pct(s.Accuracy)}"),
            "Confusion matrix heatmap (row-normalised)", "confusion-png");
        html.Close();

        Conditions(html, result.Conditions, s.Frames);
        if (result.Baselines.Count > 0)
            Baselines(html, s, result.Baselines);
        if (videos is not null && videos.Count > 0)
            PerVideo(html, videos);
        if (sweep is not null)
            Sweep(html, sweep);
        Images(html, images, "Timelines");
        return End(html);
    }

    /// <summary>The report on one video's predictions: duration, frames, face and audio coverage, each class's share
    /// of the predicted frames, the expression segments, and the timeline and other images given.</summary>
    /// <param name="prediction">The video's per-frame predictions.</param>
    /// <param name="provenance">Model, video and settings the predictions came from.</param>
    /// <param name="images">Captioned PNGs, e.g. the timeline.</param>
    /// <param name="segments">Expression segments; null derives them as runs of equal labels.</param>
    /// <param name="summary">Free text shown near the top (blank lines separate paragraphs).</param>
    /// <param name="speechFraction">Share of frames with speech (voice activity), when known; audio presence is always shown.</param>
    /// <param name="title">Page title; default "AffectFuse: VIDEO".</param>
    /// <param name="keyframes">A JPEG per listed segment (<see cref="SegmentKeyframes"/>), or null for none.</param>
    public static string ForPrediction(VideoPrediction prediction, ReportProvenance provenance, IReadOnlyList<ReportImage>? images = null,
        IReadOnlyList<ExpressionSegment>? segments = null, string? summary = null, double? speechFraction = null, string? title = null,
        IReadOnlyList<byte[]?>? keyframes = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(provenance);
        segments ??= ExpressionSegments.From(prediction);
        int t = prediction.FrameCount;
        var html = Begin(title ?? "AffectFuse: " + prediction.VideoId, provenance);

        var counts = new long[ExpressionClasses.Count];
        foreach (int label in prediction.Labels)
            counts[label]++;
        int dominant = t == 0 ? -1 : Array.IndexOf(counts, counts.Max());
        var cards = new List<(string, string, string?)>
        {
            ("Duration", Clock(prediction.DurationSeconds), $"{prediction.DurationSeconds.ToString("0.0", Inv)} s"),
            ("Frames", t.ToString("N0", Inv), $"{prediction.Fps.ToString("0.##", Inv)} fps nominal"),
            ("Face present", Pct(Share(prediction.FacePresent)), null),
            ("Audio present", Pct(Share(prediction.AudioPresent)), null),
        };
        if (speechFraction is { } speech)
            cards.Add(("Speech", Pct(speech), "voice activity"));
        if (dominant >= 0)
            cards.Add(("Most frequent", ExpressionClasses.Names[dominant], Pct((double)counts[dominant] / t) + " of frames"));
        Cards(html, "headline", cards);

        if (!string.IsNullOrWhiteSpace(summary))
        {
            html.Open("section", ("id", "summary")).Element("h2", "Summary");
            foreach (string paragraph in summary.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                html.Element("p", paragraph);
            html.Close();
        }

        Provenance(html, provenance with { DataPath = provenance.DataPath ?? prediction.VideoId }, "What was analysed", prediction.VideoId);
        Images(html, images, "Timeline");
        ClassShares(html, counts, segments, t);
        Segments(html, segments, keyframes);
        if (prediction.Cues is { } cues)
            FaceCueTable.Write(html, cues, segments, MaxSegmentRows);
        return End(html);
    }

    private static HtmlBuilder Begin(string title, ReportProvenance provenance)
    {
        var html = new HtmlBuilder();
        html.Trusted("<!DOCTYPE html>\n");
        html.Open("html", ("lang", "en")).Open("head");
        html.Void("meta", ("charset", "utf-8"));
        html.Void("meta", ("name", "viewport"), ("content", "width=device-width, initial-scale=1"));
        html.Void("meta", ("name", "generator"), ("content", "AffectFuse " + Version));
        html.Element("title", title);
        html.Open("style").Trusted(ReportStyle.Css).Close();
        html.Close().Open("body").Open("main");
        html.Open("header").Element("h1", title);
        html.Element("p", $"Generated {Stamp(provenance.Created)} by AffectFuse {Version}", ("class", "sub"));
        html.Close();
        return html;
    }

    private static string End(HtmlBuilder html)
    {
        html.Open("footer").Element("p", "Classes follow Aff-Wild2 EXPR: " + string.Join(", ", ExpressionClasses.Names.Select((n, i) => $"{i} {n}")) + ".").Close();
        return html.Close().Close().Close().ToString() + "\n";
    }

    private static void Cards(HtmlBuilder html, string id, IEnumerable<(string Key, string Value, string? Note)> cards)
    {
        html.Open("section", ("id", id), ("class", "cards"));
        foreach (var (key, value, note) in cards)
        {
            html.Open("div", ("class", "card")).Element("div", key, ("class", "k")).Element("div", value, ("class", "v"));
            if (note is not null)
                html.Element("div", note, ("class", "k"));
            html.Close();
        }
        html.Close();
    }

    private static void Provenance(HtmlBuilder html, ReportProvenance p, string heading, string? video = null)
    {
        var rows = new List<(string, string)>();
        if (video is not null)
            rows.Add(("Video", video));
        if (p.ModelPath is not null)
            rows.Add(("Model", p.ModelPath));
        if (p.Checkpoint is { } state)
            rows.Add(("Checkpoint", $"epoch {state.Epoch}, step {state.Step:N0}, validation macro-F1 {F4(state.ValidationMacroF1)}"));
        if (p.Training is { } o)
        {
            var m = o.Model;
            rows.Add(("Architecture",
                $"{m.Fusion}, modalities {m.Modalities}, width {m.Width}, {m.Heads} heads, {m.SelfLayers} self + {m.CrossLayers} cross layers, " +
                $"feed-forward {m.FeedForward}, inputs Dv {m.VisualDim} / Da {m.AudioDim}, {(m.SafeAttention ? "safe" : "plain")} attention" +
                (m.AuxiliaryHeads ? $", auxiliary heads (weight {m.AuxLossWeight.ToString("0.##", Inv)})" : "")));
            var dropout = o.ModalityDropout is { } d
                ? $"modality dropout face {d.VisualProbability.ToString("0.##", Inv)} / voice {d.AudioProbability.ToString("0.##", Inv)}"
                : "no modality dropout";
            rows.Add(("Training",
                $"up to {o.Epochs} epochs, window {o.Window}, stride {o.Stride}, batch {o.BatchSize}, lr {o.LearningRate.ToString("g3", Inv)}, " +
                $"focal γ {o.FocalGamma.ToString("0.##", Inv)}, {o.ClassWeighting} class weights, {dropout}, seed {o.Seed}"));
        }
        if (p.DataPath is not null && p.DataPath != video)
            rows.Add(("Data", p.DataPath));
        if (p.LabelsPath is not null)
            rows.Add(("Labels", p.LabelsPath));
        if (p.Inference is { } i)
            rows.Add(("Inference", $"window {i.Window}, stride {i.Stride}, {(i.CentreWeighted ? "centre-weighted" : "uniform")} votes, " +
                $"smoothing δ {i.SmoothingHalfWidth}, batch {i.BatchSize}"));
        rows.Add(("Date", Stamp(p.Created)));
        rows.Add(("AffectFuse", Version));
        html.Open("section", ("id", "provenance")).Element("h2", heading);
        html.KeyValues("provenance-table", rows);
        html.Close();
    }

    private static void PerClassTable(HtmlBuilder html, ClassificationScores s)
    {
        int k = s.Confusion.GetLength(0);
        var predicted = new long[k];
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
                predicted[c] += s.Confusion[r, c];
        var header = new[] { H("Class"), H("Precision"), H("Recall"), H("F1"), H("Support"), H("Predicted") };
        var rows = s.PerClass.Select((c, i) => (IReadOnlyList<HtmlCell>)
        [
            new(c.Name), new(F4(c.Precision)), new(F4(c.Recall)), new(F4(c.F1), Style: Bar(c.F1)),
            new(c.Support.ToString("N0", Inv)), new(i < k ? predicted[i].ToString("N0", Inv) : ""),
        ]).ToList();
        rows.Add([new("Macro average", "total"), new(F4(s.PerClass.Average(c => c.Precision)), "total"),
            new(F4(s.PerClass.Average(c => c.Recall)), "total"), new(F4(s.MacroF1), "total", Bar(s.MacroF1)),
            new(s.Frames.ToString("N0", Inv), "total"), new(s.Frames.ToString("N0", Inv), "total")]);
        html.Table("per-class-table", "num", header, rows);
    }

    private static void ConfusionTable(HtmlBuilder html, int[,] confusion)
    {
        int k = confusion.GetLength(0);
        var header = new List<HtmlCell> { H("true \\ predicted") };
        header.AddRange(ExpressionClasses.Names.Select(n => H(n)));
        header.Add(H("Total"));
        var rows = new List<IReadOnlyList<HtmlCell>>();
        for (int r = 0; r < k; r++)
        {
            long total = 0;
            for (int c = 0; c < k; c++)
                total += confusion[r, c];
            var row = new List<HtmlCell> { new(ExpressionClasses.Names[r], IsHeader: true) };
            for (int c = 0; c < k; c++)
            {
                double share = total == 0 ? 0 : (double)confusion[r, c] / total;
                string inner = new HtmlBuilder()
                    .Element("span", confusion[r, c].ToString(Inv), ("class", "count"))
                    .Element("span", Pct(share, "0"), ("class", "share")).ToString();
                row.Add(new HtmlCell("", r == c ? "diag" : null, Shade(share), Html: inner));
            }
            row.Add(new(total.ToString("N0", Inv), "total"));
            rows.Add(row);
        }
        html.Table("confusion-table", "cm", header, rows);
    }

    private static void Conditions(HtmlBuilder html, ConditionScores k, int frames)
    {
        html.Open("section", ("id", "conditions")).Element("h2", "By condition");
        var header = new[] { H("Condition"), H("Frames"), H("Share"), H("Macro-F1"), H("Accuracy") };
        var rows = new (string Name, ClassificationScores Scores)[]
        {
            ("Face present", k.FacePresent), ("Face absent", k.FaceAbsent), ("Audio present", k.AudioPresent), ("Audio absent", k.AudioAbsent),
        }.Select(x => (IReadOnlyList<HtmlCell>)
        [
            new(x.Name), new(x.Scores.Frames.ToString("N0", Inv)), new(frames == 0 ? "–" : Pct((double)x.Scores.Frames / frames)),
            new(x.Scores.Frames == 0 ? "–" : F4(x.Scores.MacroF1), Style: x.Scores.Frames == 0 ? null : Bar(x.Scores.MacroF1)),
            new(x.Scores.Frames == 0 ? "–" : F4(x.Scores.Accuracy)),
        ]);
        html.Table("conditions-table", "num", header, rows);
        html.KeyValues("flips-table",
        [
            ("Label flips per minute (predicted)", k.FlipsPerMinute.ToString("0.0", Inv)),
            ("Label flips per minute (ground truth)", k.TruthFlipsPerMinute.ToString("0.0", Inv)),
            ("Video time", Clock(k.Minutes * 60)),
        ]);
        html.Element("p", "Macro-F1 within a condition averages over all 8 classes, so a condition with few frames (and absent classes) scores low by construction.", ("class", "note"));
        html.Close();
    }

    private static void Baselines(HtmlBuilder html, ClassificationScores model, IReadOnlyList<SystemScores> baselines)
    {
        html.Open("section", ("id", "baselines")).Element("h2", "Beside the model");
        var header = new[] { H("System"), H("Macro-F1"), H("Accuracy") };
        var rows = baselines.Prepend(new SystemScores(ComparedSystem.Model, model)).Select(b => (IReadOnlyList<HtmlCell>)
        [
            new(b.System.Name), new(F4(b.Scores.MacroF1), Style: Bar(b.Scores.MacroF1)), new(F4(b.Scores.Accuracy)),
        ]);
        html.Table("baselines-table", "num", header, rows);
        html.Element("p", "The same frames and metrics for each: the model with the face or the voice masked off (every frame marked missing), " +
            "and each face net alone (the argmax of its own seven probabilities mapped onto the eight classes; Neutral on frames without a face).", ("class", "note"));
        html.Close();
    }

    private static void PerVideo(HtmlBuilder html, IReadOnlyList<EvaluatedVideo> videos)
    {
        html.Open("section", ("id", "per-video")).Element("h2", "Per video");
        var header = new[] { H("Video"), H("Frames"), H("Annotated"), H("Face"), H("Audio"), H("Accuracy"), H("Flips / min") };
        var rows = videos.Select(v =>
        {
            var p = v.Prediction;
            int annotated = 0, correct = 0, flips = 0;
            for (int i = 0; i < p.FrameCount; i++)
            {
                if (i > 0 && p.Labels[i] != p.Labels[i - 1])
                    flips++;
                if (v.Truth[i] < 0)
                    continue;
                annotated++;
                if (v.Truth[i] == p.Labels[i])
                    correct++;
            }
            double minutes = p.DurationSeconds / 60;
            double? accuracy = annotated == 0 ? null : (double)correct / annotated;
            return (IReadOnlyList<HtmlCell>)
            [
                new(p.VideoId, "id"), new(p.FrameCount.ToString("N0", Inv)), new(annotated.ToString("N0", Inv)),
                new(Pct(Share(p.FacePresent), "0")), new(Pct(Share(p.AudioPresent), "0")),
                new(accuracy is { } a ? F4(a) : "–", Style: accuracy is { } b ? Bar(b) : null),
                new(minutes > 0 ? (flips / minutes).ToString("0.0", Inv) : "–"),
            ];
        });
        html.Table("per-video-table", "num", header, rows);
        html.Close();
    }

    private static void Sweep(HtmlBuilder html, SweepResult sweep)
    {
        html.Open("section", ("id", "sweep")).Element("h2", "Inference sweep");
        html.Element("p", "Settings tried on these videos; the best (highlighted) was used for the scores above.", ("class", "note"));
        var header = new[] { H("Window"), H("Stride"), H("Smoothing δ"), H("Macro-F1"), H("Accuracy") };
        var rows = sweep.Points.Select(p =>
        {
            string? best = ReferenceEquals(p, sweep.Best) ? "best" : null;
            return (IReadOnlyList<HtmlCell>)
            [
                new(p.Options.Window.ToString(Inv), best), new(p.Options.Stride.ToString(Inv), best), new(p.Options.SmoothingHalfWidth.ToString(Inv), best),
                new(F4(p.Scores.MacroF1), best), new(F4(p.Scores.Accuracy), best),
            ];
        });
        html.Table("sweep-table", "num", header, rows);
        html.Close();
    }

    private static void ClassShares(HtmlBuilder html, long[] counts, IReadOnlyList<ExpressionSegment> segments, int frames)
    {
        html.Open("section", ("id", "class-shares")).Element("h2", "Expressions predicted");
        var header = new[] { H("Class"), H("Frames"), H("Share"), H("Time"), H("Segments"), H("Longest") };
        var rows = Enumerable.Range(0, ExpressionClasses.Count).Select(c =>
        {
            var own = segments.Where(s => s.Label == c).ToList();
            double share = frames == 0 ? 0 : (double)counts[c] / frames;
            return (IReadOnlyList<HtmlCell>)
            [
                new(ExpressionClasses.Names[c]), new(counts[c].ToString("N0", Inv)), new(Pct(share), Style: Bar(share)),
                new(Clock(own.Sum(s => s.Duration))), new(own.Count.ToString("N0", Inv)),
                new(own.Count == 0 ? "–" : own.Max(s => s.Duration).ToString("0.0", Inv) + " s"),
            ];
        });
        html.Table("class-share-table", "num", header, rows);
        html.Close();
    }

    private static void Segments(HtmlBuilder html, IReadOnlyList<ExpressionSegment> segments, IReadOnlyList<byte[]?>? keyframes)
    {
        html.Open("section", ("id", "segments")).Element("h2", "Segments");
        if (segments.Count > MaxSegmentRows)
            html.Element("p", $"{segments.Count:N0} segments; the first {MaxSegmentRows} are listed (the table above covers all).", ("class", "note"));
        var header = new[] { H("#"), H("Start"), H("End"), H("Length"), H("Expression"), H("Mean probability"), H("Frames") };
        if (keyframes is not null)
            header = [.. header, H("Middle frame")];
        var rows = segments.Take(MaxSegmentRows).Select((s, i) =>
        {
            IReadOnlyList<HtmlCell> cells =
            [
                new((i + 1).ToString(Inv)), new(Clock(s.Start)), new(Clock(s.End)), new(s.Duration.ToString("0.0", Inv) + " s"),
                new(s.LabelName, "label"), new(F4(s.MeanConfidence), Style: Bar(s.MeanConfidence)), new($"{s.StartFrame}–{s.EndFrame - 1}"),
            ];
            return keyframes is null ? cells : [.. cells, Keyframe(keyframes, i)];
        });
        html.Table("segment-table", "num", header, rows);
        html.Close();
    }

    private static void Images(HtmlBuilder html, IReadOnlyList<ReportImage>? images, string heading)
    {
        if (images is null || images.Count == 0)
            return;
        html.Open("section", ("id", "images")).Element("h2", heading);
        foreach (var image in images)
            html.Figure(image.Png, image.Title);
        html.Close();
    }

    // The segment's middle frame, the followed face boxed (base64 is markup-safe; the alt text is ours).
    private static HtmlCell Keyframe(IReadOnlyList<byte[]?> keyframes, int segment) =>
        segment < keyframes.Count && keyframes[segment] is { } jpeg
            ? new("", "keyframe", Html: $"<img src=\"data:image/jpeg;base64,{Convert.ToBase64String(jpeg)}\" alt=\"segment {segment + 1}, middle frame\" width=\"{SegmentKeyframes.Width}\">")
            : new("–");

    private static HtmlCell H(string text) => new(text, IsHeader: true);

    private static string F4(double x) => x.ToString("0.0000", Inv);

    private static string Pct(double fraction, string format = "0.0") => (100 * fraction).ToString(format, Inv) + " %";

    private static double Share(bool[] mask) => mask.Length == 0 ? 0 : (double)mask.Count(b => b) / mask.Length;

    private static string Stamp(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss 'UTC'zzz", Inv);

    private static string Clock(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            return "–";
        var span = TimeSpan.FromSeconds(Math.Round(seconds, 1)); // to tenths, so 3.9999 s reads 0:04.0
        return span.TotalHours >= 1
            ? $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}"
            : $"{span.Minutes}:{span.Seconds:00}.{span.Milliseconds / 100}";
    }

    // A light bar behind a 0..1 value, so a column reads at a glance on screen and on paper.
    internal static string Bar(double value)
    {
        double pct = Math.Clamp(value, 0, 1) * 100;
        return $"background:linear-gradient(90deg,#d6e6f5 {pct.ToString("0.#", Inv)}%,transparent {pct.ToString("0.#", Inv)}%)";
    }

    // White → dark blue with the share; text turns white on the dark end.
    private static string Shade(double share)
    {
        share = Math.Clamp(share, 0, 1);
        int R(int from, int to) => (int)Math.Round(from + (to - from) * share);
        string text = share > 0.55 ? ";color:#fff" : "";
        return $"background:rgb({R(255, 8)},{R(255, 69)},{R(255, 148)}){text}";
    }
}
