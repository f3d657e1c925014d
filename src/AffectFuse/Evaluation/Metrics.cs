namespace AffectFuse.Evaluation;

/// <summary>ABAW EXPR metrics: macro-F1 over the 8 classes (a class with no true and no predicted frames scores 0) and accuracy.</summary>
internal static class Metrics
{
    /// <summary>Scores of <paramref name="predicted"/> against <paramref name="truth"/>; truth -1 frames are dropped.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a truth label is outside -1..7 or a prediction outside 0..7.</exception>
    public static ClassificationScores Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        var confusion = new int[ExpressionClasses.Count, ExpressionClasses.Count];
        AddToConfusion(confusion, truth, predicted);
        return FromConfusion(confusion);
    }

    /// <summary>Adds each annotated frame to <paramref name="confusion"/> <c>[8,8]</c> (rows = truth); truth -1 frames are skipped.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a truth label is outside -1..7 or a prediction outside 0..7.</exception>
    public static void AddToConfusion(int[,] confusion, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        const int k = ExpressionClasses.Count;
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"truth has {truth.Count} frames but predictions have {predicted.Count}", nameof(predicted));
        for (int i = 0; i < truth.Count; i++)
        {
            int t = truth[i];
            if (t == ExpressionClasses.Unannotated)
                continue;
            if (t < 0 || t >= k)
                throw new ArgumentException($"truth label {t} at frame {i} is outside -1..7", nameof(truth));
            int p = predicted[i];
            if (p < 0 || p >= k)
                throw new ArgumentException($"predicted label {p} at frame {i} is outside 0..7", nameof(predicted));
            confusion[t, p]++;
        }
    }

    /// <summary>Scores of a confusion matrix <c>[8,8]</c> (rows = truth, columns = prediction).</summary>
    public static ClassificationScores FromConfusion(int[,] confusion)
    {
        const int k = ExpressionClasses.Count;
        if (confusion.GetLength(0) != k || confusion.GetLength(1) != k)
            throw new ArgumentException($"confusion must be {k}x{k}", nameof(confusion));

        var perClass = new ClassScore[k];
        long correct = 0, frames = 0;
        double f1Sum = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = confusion[c, c], support = 0, predictedCount = 0;
            for (int j = 0; j < k; j++)
            {
                support += confusion[c, j];
                predictedCount += confusion[j, c];
            }
            perClass[c] = ClassScoreOf(c, tp, support, predictedCount);
            f1Sum += perClass[c].F1;
            correct += tp;
            frames += support;
        }
        double accuracy = frames == 0 ? 0 : (double)correct / frames;
        return new ClassificationScores(f1Sum / k, accuracy, perClass, (int[,])confusion.Clone(), (int)frames);
    }

    /// <summary>Precision, recall and F1 of class <paramref name="c"/> from its true positives, true count and predicted count.</summary>
    internal static ClassScore ClassScoreOf(int c, long tp, long support, long predicted)
    {
        // An undefined ratio (no predicted or no true frames) is 0, as sklearn's zero_division=0;
        // a class absent from both truth and predictions therefore scores F1 = 0 and still counts in the mean.
        double precision = predicted == 0 ? 0 : (double)tp / predicted;
        double recall = support == 0 ? 0 : (double)tp / support;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new ClassScore(ExpressionClasses.Names[c], precision, recall, f1, (int)support);
    }
}
