namespace AffectFuse.Evaluation;

/// <summary>Per-class precision, recall, F1 and support.</summary>
internal sealed record ClassScore(string Name, double Precision, double Recall, double F1, int Support);

/// <summary>Frame-level scores over labels 0..7 (frames labelled -1 dropped).</summary>
internal sealed record ClassificationScores(double MacroF1, double Accuracy, IReadOnlyList<ClassScore> PerClass, int[,] Confusion, int Frames);
