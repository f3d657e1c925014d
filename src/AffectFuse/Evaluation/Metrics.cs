namespace AffectFuse.Evaluation;

/// <summary>ABAW EXPR metrics: macro-F1 over the 8 classes (a class with no true and no predicted frames scores 0) and accuracy.</summary>
public static class Metrics
{
    /// <summary>Scores of <paramref name="predicted"/> against <paramref name="truth"/>; truth -1 frames are dropped.</summary>
    public static ClassificationScores Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
        => throw new NotImplementedException("evaluation helper");
}
