using OpenCvSharp;
using AffectFuse.Inference;
using AffectFuse.IO;
using ScottPlot;

namespace AffectFuse.Reporting;

/// <summary>Timeline PNG of one video's prediction: the 8 class probabilities as stacked areas over time, spans without
/// a face shaded, and the speech (VAD) probability as a thin line.</summary>
internal static class TimelinePlot
{
    private const string SpeechLegend = "speech probability";

    /// <summary>Most points drawn per curve; longer videos are averaged into this many bins (probabilities still sum to 1).</summary>
    public const int MaxPoints = 2000;

    private static readonly Color[] ClassColors = [.. ClassColours.Hex.Select(Color.FromHex)];

    /// <summary>Renders and writes the PNG atomically.</summary>
    public static void Save(string path, VideoPrediction prediction, int width = 1400, int height = 500)
    {
        if (prediction.FrameCount == 0)
            throw new AffectFuseException(path, "no frames to plot");
        AtomicFile.WriteAllBytes(path, Render(prediction, width, height));
    }

    /// <summary>One lane per person, top to bottom in person order: each person's timeline (their speaking probability as
    /// the thin line), stacked into one PNG.</summary>
    public static byte[] RenderPeople(IReadOnlyList<VideoPrediction> people, int width = 1400, int laneHeight = 320)
    {
        var lanes = people.Select(p => Cv2.ImDecode(Render(p with { SpeechProbabilities = p.Speaking ?? p.SpeechProbabilities }, width, laneHeight,
            p.Speaking is null ? SpeechLegend : "speaking"), ImreadModes.Color)).ToArray();
        try
        {
            using var stacked = new Mat();
            Cv2.VConcat(lanes, stacked);
            return stacked.ImEncode(".png");
        }
        finally
        {
            foreach (var lane in lanes)
                lane.Dispose();
        }
    }

    /// <summary>The PNG bytes; <paramref name="lineLegend"/> names the thin line.</summary>
    public static byte[] Render(VideoPrediction prediction, int width = 1400, int height = 500, string lineLegend = SpeechLegend)
    {
        const int k = ExpressionClasses.Count;
        int t = prediction.FrameCount;
        if (t == 0)
            throw new ArgumentException("no frames to plot", nameof(prediction));
        double period = prediction.DurationSeconds / t;

        int bins = Math.Min(t, MaxPoints);
        var xs = new double[bins];
        var stacked = new double[k + 1][];
        for (int c = 0; c <= k; c++)
            stacked[c] = new double[bins];
        double[]? speech = prediction.SpeechProbabilities is null ? null : new double[bins];
        for (int b = 0; b < bins; b++)
        {
            int from = (int)((long)b * t / bins), to = (int)((long)(b + 1) * t / bins);
            double time = 0, voice = 0;
            var sums = new double[k];
            for (int f = from; f < to; f++)
            {
                time += prediction.Timestamps[f];
                for (int c = 0; c < k; c++)
                    sums[c] += prediction.Probabilities[(long)f * k + c];
                if (speech is not null)
                    voice += prediction.SpeechProbabilities![f];
            }
            int n = to - from;
            xs[b] = time / n;
            for (int c = 0; c < k; c++)
                stacked[c + 1][b] = stacked[c][b] + sums[c] / n;
            if (speech is not null)
                speech[b] = voice / n;
        }

        var plot = new Plot();
        for (int c = 0; c < k; c++)
        {
            var area = plot.Add.FillY(xs, stacked[c], stacked[c + 1]);
            area.FillColor = ClassColors[c].WithAlpha(0.85);
            area.LineColor = ClassColors[c];
            area.LegendText = ExpressionClasses.Names[c];
        }

        // Face-missing runs, over the whole height, drawn on top so they read as "no face here".
        bool first = true;
        for (int f = 0; f < t;)
        {
            if (prediction.FacePresent[f])
            {
                f++;
                continue;
            }
            int g = f;
            while (g < t && !prediction.FacePresent[g])
                g++;
            double start = prediction.Timestamps[f] - period / 2;
            double end = (g < t ? prediction.Timestamps[g] : prediction.Timestamps[t - 1] + period) - period / 2;
            var span = plot.Add.HorizontalSpan(start, end);
            span.FillStyle.Color = Colors.Black.WithAlpha(0.35);
            span.FillStyle.HatchColor = Colors.White.WithAlpha(0.5);
            span.FillStyle.Hatch = new ScottPlot.Hatches.Striped();
            span.LineStyle.Width = 0;
            span.LegendText = first ? "no face" : "";
            first = false;
            f = g;
        }

        if (speech is not null)
        {
            var line = plot.Add.Scatter(xs, speech);
            line.Color = Colors.Black;
            line.LineWidth = 1.5f;
            line.MarkerSize = 0;
            line.LegendText = lineLegend;
        }

        plot.Title($"{prediction.VideoId}: expression probabilities over time");
        plot.XLabel("time (s)");
        plot.YLabel("probability (stacked)");
        double x0 = prediction.Timestamps[0], x1 = prediction.Timestamps[t - 1] + period;
        plot.Axes.SetLimits(x0, Math.Max(x1, x0 + 1e-3), 0, 1);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
