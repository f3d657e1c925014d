using AffectFuse.Inference;

namespace AffectFuse.Reporting;

/// <summary>A run of consecutive frames with the same predicted label.</summary>
/// <param name="Label">Class index 0..7.</param>
/// <param name="StartFrame">First frame (0-based).</param>
/// <param name="EndFrame">One past the last frame.</param>
/// <param name="StartSeconds">Time of the first frame.</param>
/// <param name="EndSeconds">Time the last frame ends (the next frame's time, or one frame period after the last).</param>
/// <param name="MeanProbability">Mean probability of <paramref name="Label"/> over the run.</param>
public sealed record ExpressionSegment(int Label, int StartFrame, int EndFrame, double StartSeconds, double EndSeconds, double MeanProbability)
{
    /// <summary>The class name.</summary>
    public string Name => ExpressionClasses.Names[Label];

    /// <summary>Frames in the run.</summary>
    public int Frames => EndFrame - StartFrame;

    /// <summary>Length in seconds.</summary>
    public double Seconds => EndSeconds - StartSeconds;

    /// <summary>The runs of equal labels in <paramref name="prediction"/>, in time order.</summary>
    public static IReadOnlyList<ExpressionSegment> FromPrediction(VideoPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        int t = prediction.FrameCount;
        var segments = new List<ExpressionSegment>();
        if (t == 0)
            return segments;
        const int k = ExpressionClasses.Count;
        double period = t > 0 && prediction.DurationSeconds > 0 ? prediction.DurationSeconds / t : 0;
        bool timed = prediction.Timestamps.Length == t;
        double Start(int frame) => frame < t
            ? (timed ? prediction.Timestamps[frame] : frame * period)
            : Start(t - 1) + period;

        int start = 0;
        double probabilitySum = 0;
        for (int i = 0; i <= t; i++)
        {
            if (i < t && prediction.Labels[i] == prediction.Labels[start])
            {
                probabilitySum += prediction.Probabilities[(long)i * k + prediction.Labels[i]];
                continue;
            }
            segments.Add(new ExpressionSegment(prediction.Labels[start], start, i, Start(start), Start(i), probabilitySum / (i - start)));
            if (i < t)
            {
                start = i;
                probabilitySum = prediction.Probabilities[(long)i * k + prediction.Labels[i]];
            }
        }
        return segments;
    }
}
