namespace AffectFuse.Evaluation;

/// <summary>One system's clip-level scores: each clip is one vote, right or wrong.</summary>
/// <param name="System">The system.</param>
/// <param name="Accuracy">Share of clips labelled right (a clip without a label counts as wrong).</param>
/// <param name="MacroF1">Mean F1 over the classes present in the labels (a class no clip has is left out, as corpora
/// rarely hold all eight).</param>
/// <param name="PerClass">Precision, recall, F1 and support of each of the eight classes; a clip without a label
/// lowers its class's recall.</param>
/// <param name="Confusion">Clip counts <c>[8,8]</c>, rows = truth, columns = prediction (clips without a label not in it).</param>
/// <param name="Unlabelled">Clips per true class that the system gave no label.</param>
/// <param name="Clips">Clips scored.</param>
internal sealed record ClipScores(ComparedSystem System, double Accuracy, double MacroF1, IReadOnlyList<ClassScore> PerClass, int[,] Confusion,
    int[] Unlabelled, int Clips)
{
    /// <summary>Scores <paramref name="system"/> over <paramref name="clips"/>, each of which must hold its label.</summary>
    public static ClipScores Compute(ComparedSystem system, IReadOnlyList<ClipOutcome> clips)
    {
        const int k = ExpressionClasses.Count;
        var confusion = new int[k, k];
        var unlabelled = new int[k];
        foreach (var clip in clips)
        {
            if (clip.Predicted[system] is { } label)
                confusion[clip.Truth, label]++;
            else
                unlabelled[clip.Truth]++;
        }
        var perClass = new ClassScore[k];
        int correct = 0;
        for (int c = 0; c < k; c++)
        {
            perClass[c] = Score(c, confusion, unlabelled[c]);
            correct += confusion[c, c];
        }
        var present = perClass.Where(s => s.Support > 0).ToList();
        return new ClipScores(system, clips.Count == 0 ? 0 : (double)correct / clips.Count, present.Count == 0 ? 0 : present.Average(s => s.F1),
            perClass, confusion, unlabelled, clips.Count);
    }

    // The unlabelled clips count in the support: a clip the system gave no label was still missed.
    private static ClassScore Score(int c, int[,] confusion, int unlabelled)
    {
        int tp = confusion[c, c], support = unlabelled, predicted = 0;
        for (int j = 0; j < ExpressionClasses.Count; j++)
        {
            support += confusion[c, j];
            predicted += confusion[j, c];
        }
        return Metrics.ClassScoreOf(c, tp, support, predicted);
    }
}

/// <summary>Clip-level scores of the model and of every system compared with it, and each clip's outcome.</summary>
/// <param name="Systems">Each system's scores, the model first; a face net only when every clip's features hold its columns.</param>
/// <param name="Clips">Each clip's outcome, in label-file order.</param>
/// <param name="ClassesPresent">The classes the labels hold (what macro-F1 averages over).</param>
internal sealed record ClipEvaluationResult(IReadOnlyList<ClipScores> Systems, IReadOnlyList<ClipOutcome> Clips, IReadOnlyList<int> ClassesPresent)
{
    /// <summary>The model's scores.</summary>
    public ClipScores Model => Systems[0];

    /// <summary>Scores every system that labelled (or abstained on) every clip.</summary>
    public static ClipEvaluationResult Compute(IReadOnlyList<ClipOutcome> clips)
    {
        var systems = ComparedSystem.All.Where(s => clips.All(c => c.Predicted.ContainsKey(s)))
            .Select(s => ClipScores.Compute(s, clips)).ToList();
        var present = clips.Select(c => c.Truth).Distinct().Order().ToList();
        return new ClipEvaluationResult(systems, clips, present);
    }
}
