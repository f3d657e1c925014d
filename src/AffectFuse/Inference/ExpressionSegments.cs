using System.Globalization;
using System.Text;

namespace AffectFuse.Inference;

/// <summary>A run of consecutive frames with the same predicted class.</summary>
/// <param name="Label">The class (0..7).</param>
/// <param name="LabelName">The class's name.</param>
/// <param name="StartFrame">First frame.</param>
/// <param name="EndFrame">One past the last frame.</param>
/// <param name="Start">Start time in seconds (the first frame's time).</param>
/// <param name="End">End time in seconds (the next segment's start; for the last, its last frame's time plus one period).</param>
/// <param name="MeanConfidence">Mean probability of the class over the segment's frames.</param>
public sealed record ExpressionSegment(int Label, string LabelName, int StartFrame, int EndFrame, double Start, double End, double MeanConfidence)
{
    /// <summary>Length in seconds.</summary>
    public double Duration => End - Start;

    /// <summary>Number of frames.</summary>
    public int FrameCount => EndFrame - StartFrame;
}

/// <summary>Collapses per-frame labels into segments, and a short text summary of a prediction.</summary>
public static class ExpressionSegments
{
    /// <summary>The segments of <paramref name="prediction"/>, in time order, covering every frame.</summary>
    public static IReadOnlyList<ExpressionSegment> From(VideoPrediction prediction)
    {
        int t = prediction.FrameCount;
        var segments = new List<ExpressionSegment>();
        double period = prediction.DurationSeconds / Math.Max(1, t);
        int start = 0;
        for (int i = 1; i <= t; i++)
        {
            if (i < t && prediction.Labels[i] == prediction.Labels[start])
                continue;
            int label = prediction.Labels[start];
            double confidence = 0;
            for (int f = start; f < i; f++)
                confidence += prediction.Probabilities[(long)f * ExpressionClasses.Count + label];
            double end = i < t ? prediction.Timestamps[i] : prediction.Timestamps[t - 1] + period;
            segments.Add(new ExpressionSegment(label, ExpressionClasses.Names[label], start, i, prediction.Timestamps[start], end, confidence / (i - start)));
            start = i;
        }
        return segments;
    }

    /// <summary>A few lines: duration, face and speech coverage, time share per class, and the longest segments in time order.</summary>
    public static string Summarize(VideoPrediction prediction, int maxSegments = 10)
    {
        var inv = CultureInfo.InvariantCulture;
        int t = prediction.FrameCount;
        var text = new StringBuilder();
        double faces = t == 0 ? 0 : prediction.FacePresent.Count(p => p) / (double)t;
        text.Append(inv, $"{prediction.VideoId}: {prediction.DurationSeconds:0.0} s, {t} frames; face in {100 * faces:0} % of frames");
        if (prediction.SpeechProbabilities is { } speech && t > 0)
            text.Append(inv, $", speech in {100 * speech.Count(p => p >= 0.5f) / (double)t:0} %");
        text.AppendLine();
        if (t == 0)
            return text.ToString();

        var counts = new int[ExpressionClasses.Count];
        foreach (int label in prediction.Labels)
            counts[label]++;
        text.AppendLine(string.Join(", ", Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0).OrderByDescending(c => counts[c])
            .Select(c => string.Create(inv, $"{ExpressionClasses.Names[c]} {100.0 * counts[c] / t:0.#} %"))));

        var segments = From(prediction);
        var shown = segments.OrderByDescending(s => s.Duration).Take(maxSegments).OrderBy(s => s.Start).ToList();
        text.AppendLine(inv, $"{segments.Count} segments{(shown.Count < segments.Count ? $", the {shown.Count} longest" : "")}:");
        foreach (var s in shown)
            text.AppendLine(inv, $"  {s.Start,7:0.00}–{s.End,7:0.00} s  {s.LabelName,-9}  ({s.Duration:0.00} s, mean confidence {s.MeanConfidence:0.00})");
        return text.ToString();
    }
}
