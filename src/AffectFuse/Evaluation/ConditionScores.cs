namespace AffectFuse.Evaluation;

/// <summary>Scores split by whether the face and the audio were present, and how often the predicted label flips.</summary>
/// <param name="FacePresent">Frames with a face.</param>
/// <param name="FaceAbsent">Frames without a face.</param>
/// <param name="AudioPresent">Frames with audio.</param>
/// <param name="AudioAbsent">Frames without audio.</param>
/// <param name="FlipsPerMinute">Frames whose predicted label differs from the previous frame's, per minute of video (all frames).</param>
/// <param name="TruthFlipsPerMinute">The same count on the ground truth (pairs of consecutive annotated frames), for reference.</param>
/// <param name="Minutes">Total video duration the flip rates are taken over.</param>
internal sealed record ConditionScores(
    ClassificationScores FacePresent,
    ClassificationScores FaceAbsent,
    ClassificationScores AudioPresent,
    ClassificationScores AudioAbsent,
    double FlipsPerMinute,
    double TruthFlipsPerMinute,
    double Minutes)
{
    /// <summary>Computes the split over all <paramref name="videos"/> together (frames pooled, flips summed over summed duration).</summary>
    public static ConditionScores Compute(IReadOnlyList<EvaluatedVideo> videos)
    {
        var face = new[] { NewConfusion(), NewConfusion() };   // [0] absent, [1] present
        var audio = new[] { NewConfusion(), NewConfusion() };
        long flips = 0, truthFlips = 0;
        double seconds = 0;
        foreach (var video in videos)
        {
            var p = video.Prediction;
            for (int i = 0; i < p.FrameCount; i++)
            {
                int truth = video.Truth[i];
                if (i > 0)
                {
                    if (p.Labels[i] != p.Labels[i - 1])
                        flips++;
                    int previous = video.Truth[i - 1];
                    if (truth >= 0 && previous >= 0 && truth != previous)
                        truthFlips++;
                }
                if (truth < 0)
                    continue;
                int label = p.Labels[i];
                if (truth >= ExpressionClasses.Count || label < 0 || label >= ExpressionClasses.Count)
                    throw new ArgumentException($"{p.VideoId}: label out of range at frame {i} (truth {truth}, predicted {label})");
                face[p.FacePresent[i] ? 1 : 0][truth, label]++;
                audio[p.AudioPresent[i] ? 1 : 0][truth, label]++;
            }
            seconds += p.DurationSeconds;
        }
        double minutes = seconds / 60;
        return new ConditionScores(
            Metrics.FromConfusion(face[1]), Metrics.FromConfusion(face[0]),
            Metrics.FromConfusion(audio[1]), Metrics.FromConfusion(audio[0]),
            minutes > 0 ? flips / minutes : 0,
            minutes > 0 ? truthFlips / minutes : 0,
            minutes);
    }

    private static int[,] NewConfusion() => new int[ExpressionClasses.Count, ExpressionClasses.Count];
}
