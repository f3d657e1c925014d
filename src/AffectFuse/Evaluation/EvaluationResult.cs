namespace AffectFuse.Evaluation;

/// <summary>Scores over a set of videos: overall and by condition.</summary>
internal sealed record EvaluationResult(ClassificationScores Overall, ConditionScores Conditions)
{
    /// <summary>The systems scored beside the model on the same frames (its single-branch conditions, each face net
    /// alone); empty when not asked for.</summary>
    public IReadOnlyList<SystemScores> Baselines { get; init; } = [];

    /// <summary>Scores <paramref name="videos"/>, all frames pooled.</summary>
    public static EvaluationResult Compute(IReadOnlyList<EvaluatedVideo> videos)
    {
        var truth = new List<int>();
        var predicted = new List<int>();
        foreach (var video in videos)
        {
            truth.AddRange(video.Truth);
            predicted.AddRange(video.Prediction.Labels);
        }
        return new EvaluationResult(Metrics.Compute(truth, predicted), ConditionScores.Compute(videos));
    }
}
