using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AffectFuse.Cli.Commands;
using AffectFuse.Data.Synthetic;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Tests.Model;
using AffectFuse.Training;
using SkiaSharp;
using TorchSharp;
using Xunit;

namespace AffectFuse.Tests.Reporting;

public class HtmlReportTests
{
    // Angle brackets, a quote of each kind and an already-escaped entity: all must come back verbatim as text.
    private const string HostileId = "x<script>alert(1)&amp;\"'";

    /// <summary>Parses the report as XML (the writer emits XHTML-compatible markup) after a light look at its shape.</summary>
    private static XElement Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
        Assert.EndsWith("</html>\n", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"(src|href)=""(?!data:image/png;base64,)"), html); // nothing fetched from outside
        return XDocument.Parse(html["<!DOCTYPE html>".Length..]).Root!;
    }

    private static IEnumerable<XElement> Tags(XElement root, string name) => root.Descendants(name);

    private static XElement ById(XElement root, string id) => root.Descendants().Single(e => (string?)e.Attribute("id") == id);

    private static List<List<string>> BodyRows(XElement table)
        => table.Element("tbody")!.Elements("tr").Select(tr => tr.Elements().Select(c => c.Value).ToList()).ToList();

    /// <summary>Every embedded image decodes as a PNG; returns their sizes.</summary>
    private static List<(int Width, int Height)> DecodeImages(XElement root)
    {
        var sizes = new List<(int, int)>();
        foreach (var img in Tags(root, "img"))
        {
            string src = (string)img.Attribute("src")!;
            byte[] bytes = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes.Take(8).ToArray());
            using var bitmap = SKBitmap.Decode(bytes);
            Assert.NotNull(bitmap);
            Assert.False(string.IsNullOrWhiteSpace((string?)img.Attribute("alt")));
            sizes.Add((bitmap.Width, bitmap.Height));
        }
        return sizes;
    }

    [Fact]
    public void EvaluateCommandWritesAReportMatchingItsScores()
    {
        using var dir = new TempFolder();
        var summary = SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 5, TrainVideos = 1, ValidationVideos = 3, TwoPersonPairs = 0, MinFrames = 120, MaxFrames = 200,
            VisualDim = 6, AudioDim = 5,
        }, dir.File("data"));
        // A hostile video id, from the file names as a user's data set could have it.
        string victim = summary.ValidationVideoIds[0];
        File.Move(Path.Combine(summary.ValidationLabelsDir, victim + ".txt"), Path.Combine(summary.ValidationLabelsDir, HostileId + ".txt"));
        File.Move(Path.Combine(summary.FeaturesDir, victim + ".npz"), Path.Combine(summary.FeaturesDir, HostileId + ".npz"));

        torch.manual_seed(4);
        using var model = new AffectFuseModel(ModelTestInputs.Small());
        ModelTestInputs.Perturb(model);
        string ckpt = dir.File("m.ckpt");
        var trainOptions = new TrainOptions { Window = 32, Stride = 32, Validation = new InferenceOptions { Window = 32, Stride = 16 } };
        Checkpoint.Save(ckpt, model, trainOptions, new CheckpointState(3, 0.25, 120));

        string json = dir.File("scores.json"), report = dir.File("out/report.html");
        int code = CommandLine.Run(EvaluateCommand.Create(), "--model", ckpt, "--features", summary.FeaturesDir, "--labels", summary.ValidationLabelsDir,
            "--json", json, "--report", report).Code;
        Assert.Equal(0, code);

        using var scores = JsonDocument.Parse(File.ReadAllText(json));
        var overall = scores.RootElement.GetProperty("scores");
        string html = File.ReadAllText(report);
        var root = Parse(html);

        // Headline: the macro-F1 and accuracy as the console prints them.
        var cards = ById(root, "headline").Elements("div").ToDictionary(d => d.Elements("div").First().Value, d => d.Elements("div").ElementAt(1).Value);
        Assert.Equal(overall.GetProperty("macro_f1").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), cards["Macro-F1"]);
        Assert.Equal(overall.GetProperty("accuracy").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), cards["Accuracy"]);
        Assert.Equal("3", cards["Videos"]);

        // Per-class rows: all 8 classes in order, each with its F1 and support from the JSON.
        var perClass = BodyRows(ById(root, "per-class-table"));
        Assert.Equal(ExpressionClasses.Count + 1, perClass.Count);
        var jsonClasses = overall.GetProperty("per_class").EnumerateArray().ToList();
        for (int c = 0; c < ExpressionClasses.Count; c++)
        {
            Assert.Equal(ExpressionClasses.Names[c], perClass[c][0]);
            Assert.Equal(jsonClasses[c].GetProperty("f1").GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), perClass[c][3]);
            Assert.Equal(jsonClasses[c].GetProperty("support").GetInt32(), int.Parse(perClass[c][4], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
        }

        // The shaded confusion table holds exactly the JSON's counts, rows = truth.
        var confusionRows = ById(root, "confusion-table").Element("tbody")!.Elements("tr").ToList();
        var jsonConfusion = overall.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(ExpressionClasses.Count, confusionRows.Count);
        for (int r = 0; r < ExpressionClasses.Count; r++)
        {
            Assert.Equal(ExpressionClasses.Names[r], confusionRows[r].Element("th")!.Value);
            var counts = confusionRows[r].Elements("td").SelectMany(td => td.Elements("span").Where(s => (string?)s.Attribute("class") == "count"))
                .Select(s => int.Parse(s.Value, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(jsonConfusion[r], counts);
        }

        // Conditions: frame counts agree with the JSON split.
        var conditions = BodyRows(ById(root, "conditions-table"));
        Assert.Equal(["Face present", "Face absent", "Audio present", "Audio absent"], conditions.Select(r => r[0]));
        var jsonConditions = scores.RootElement.GetProperty("conditions");
        foreach (var (row, key) in conditions.Zip(new[] { "face_present", "face_absent", "audio_present", "audio_absent" }))
            Assert.Equal(jsonConditions.GetProperty(key).GetProperty("frames").GetInt32(), int.Parse(row[1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture));

        // The hostile id is text, not markup: escaped in the file, verbatim once parsed.
        Assert.Contains("x&lt;script&gt;alert(1)&amp;amp;&quot;&#39;", html);
        var perVideo = BodyRows(ById(root, "per-video-table"));
        Assert.Equal(3, perVideo.Count);
        Assert.Contains(perVideo, r => r[0] == HostileId);

        // Provenance names the checkpoint and its options.
        string provenance = ById(root, "provenance-table").Value;
        Assert.Contains(Path.GetFullPath(ckpt), provenance);
        Assert.Contains("window 32, stride 16", provenance);
        Assert.Contains("epoch 3", provenance);

        // Per-class bars and confusion heatmap, both real PNGs.
        Assert.Equal(2, DecodeImages(root).Count);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(report)!, ".*.tmp"));
    }

    private static VideoPrediction Prediction(string id, int[] labels, double fps = 25)
    {
        const int k = ExpressionClasses.Count;
        var probabilities = new float[labels.Length * k];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int c = 0; c < k; c++)
                probabilities[i * k + c] = 0.4f / (k - 1);
            probabilities[i * k + labels[i]] = 0.6f - 0.1f * (i % 2); // mean over any 2 frames = 0.55
        }
        return new VideoPrediction
        {
            VideoId = id,
            Probabilities = probabilities,
            Labels = labels,
            Timestamps = Enumerable.Range(0, labels.Length).Select(i => i / fps).ToArray(),
            FacePresent = Enumerable.Range(0, labels.Length).Select(i => i % 4 != 0).ToArray(),
            AudioPresent = Enumerable.Range(0, labels.Length).Select(i => i < labels.Length / 2).ToArray(),
            Fps = fps,
        };
    }

    [Fact]
    public void SegmentsAreRunsOfEqualLabelsWithTheirTimes()
    {
        var p = Prediction("v", [4, 4, 4, 4, 0, 0, 6, 4, 4, 4]);
        var segments = ExpressionSegments.From(p);
        Assert.Equal([4, 0, 6, 4], segments.Select(s => s.Label));
        Assert.Equal([(0, 4), (4, 6), (6, 7), (7, 10)], segments.Select(s => (s.StartFrame, s.EndFrame)));
        Assert.Equal(0.16, segments[1].Start, 9);
        Assert.Equal(0.24, segments[1].End, 9);
        Assert.Equal(0.40, segments[3].End, 9); // last frame lasts one period
        Assert.Equal(0.55, segments[0].MeanConfidence, 5);
        Assert.Equal(0.6, segments[2].MeanConfidence, 5);
        Assert.Equal("Surprise", segments[2].LabelName);
        Assert.Empty(ExpressionSegments.From(Prediction("empty", [])));
    }

    [Fact]
    public void PredictionReportShowsSharesSegmentsAndTheTimelineWithEscapedText()
    {
        int[] labels = [.. Enumerable.Repeat(0, 50), .. Enumerable.Repeat(4, 30), .. Enumerable.Repeat(6, 20)];
        var p = Prediction(HostileId, labels);
        var timeline = new Plot100x40();
        string html = HtmlReport.ForPrediction(p, new ReportProvenance { ModelPath = "/m/<b>.ckpt", Inference = new InferenceOptions(), Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero) },
            images: [new ReportImage("Timeline of " + HostileId, timeline.Png)], summary: "Mostly <i>neutral</i>.\n\nThen happy & surprised.", speechFraction: 0.25);
        var root = Parse(html);

        Assert.Equal("AffectFuse: " + HostileId, Tags(root, "h1").Single().Value);
        Assert.Equal("AffectFuse: " + HostileId, Tags(root, "title").Single().Value);
        Assert.Equal(["Mostly <i>neutral</i>.", "Then happy & surprised."], ById(root, "summary").Elements("p").Select(e => e.Value));
        Assert.Contains("2025-01-02 03:04:05", ById(root, "provenance-table").Value);
        Assert.Contains("/m/<b>.ckpt", ById(root, "provenance-table").Value);

        var cards = ById(root, "headline").Elements("div").ToDictionary(d => d.Elements("div").First().Value, d => d.Elements("div").ElementAt(1).Value);
        Assert.Equal("100", cards["Frames"]);
        Assert.Equal("0:04.0", cards["Duration"]);            // 100 frames at 25 fps
        Assert.Equal("75.0 %", cards["Face present"]);
        Assert.Equal("50.0 %", cards["Audio present"]);
        Assert.Equal("25.0 %", cards["Speech"]);
        Assert.Equal("Neutral", cards["Most frequent"]);

        var shares = BodyRows(ById(root, "class-share-table"));
        Assert.Equal(ExpressionClasses.Names, shares.Select(r => r[0]));
        Assert.Equal(["50", "0", "0", "0", "30", "0", "20", "0"], shares.Select(r => r[1]));
        Assert.Equal("30.0 %", shares[4][2]);

        var segments = BodyRows(ById(root, "segment-table"));
        Assert.Equal(["Neutral", "Happiness", "Surprise"], segments.Select(r => r[4]));
        Assert.Equal(["0:00.0", "0:02.0", "0:03.2"], segments.Select(r => r[1]));

        Assert.Equal([(100, 40)], DecodeImages(root));
        Assert.Equal("Timeline of " + HostileId, Tags(root, "figcaption").Single().Value);
    }

    [Fact]
    public void NonPngImageIsRefused()
    {
        var p = Prediction("v", [1, 1, 2]);
        Assert.Throws<ArgumentException>(() => HtmlReport.ForPrediction(p, new ReportProvenance(), images: [new ReportImage("x", "GIF89a....."u8.ToArray())]));
    }

    [Fact]
    public void PerClassScoresPngDecodesAtTheRequestedSize()
    {
        var confusion = new int[8, 8];
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
                confusion[r, c] = r == c ? 100 + 40 * r : (r + c) % 5;
        var scores = Metrics.FromConfusion(confusion);
        byte[] png = PerClassScoresPlot.Render(scores, width: 1000, height: 560);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((1000, 560), (bitmap.Width, bitmap.Height));
        // The three metric colours are all drawn.
        var colours = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
                colours.Add((uint)bitmap.GetPixel(x, y) & 0xFFFFFF);
        Assert.Contains(0x4C78A8u, colours);
        Assert.Contains(0xF58518u, colours);
        Assert.Contains(0x54A24Bu, colours);
    }

    /// <summary>A small real PNG standing in for a timeline.</summary>
    private sealed class Plot100x40
    {
        public byte[] Png { get; }

        public Plot100x40()
        {
            var plot = new ScottPlot.Plot();
            plot.Add.Scatter(new double[] { 0, 1, 2 }, new double[] { 0, 1, 0 });
            Png = plot.GetImageBytes(100, 40, ScottPlot.ImageFormat.Png);
        }
    }
}
