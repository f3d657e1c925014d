using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Tests.Training;

/// <summary>Generates one small synthetic data set and trains a fused and a visual-only model on it once for all tests.</summary>
public sealed class SyntheticTrainingFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "affectfuse-train-" + Guid.NewGuid().ToString("N"));
    internal IReadOnlyList<LabelledVideo> Train { get; }
    internal IReadOnlyList<LabelledVideo> Validation { get; }
    public TrainingResult Fused { get; }
    public TrainingResult VisualOnly { get; }
    internal EvaluationResult FusedScores { get; }
    internal EvaluationResult VisualOnlyScores { get; }

    public static TrainOptions SmallOptions(ModalityUse use) => new()
    {
        Window = 64, Stride = 32, BatchSize = 16, Epochs = 6, LearningRate = 2e-3, WarmupSteps = 20, Patience = 6, Seed = 3,
        Model = new ModelOptions { Width = 64, Heads = 4, SelfLayers = 1, CrossLayers = 1, FeedForward = 128, Modalities = use },
        Validation = new InferenceOptions { Window = 64, Stride = 16 },
    };

    public SyntheticTrainingFixture()
    {
        var summary = SyntheticDataset.Generate(new SyntheticOptions { Seed = 11, TrainVideos = 12, ValidationVideos = 4, MinFrames = 500, MaxFrames = 900 }, Root);
        Train = DatasetLoader.LoadLabelled(summary.TrainSource);
        Validation = DatasetLoader.LoadLabelled(summary.ValidationSource);
        Fused = new Trainer(Path.Combine(Root, "fused"), null, new TrainingReportFiles()).Train(Train, Validation, SmallOptions(ModalityUse.Both));
        VisualOnly = new Trainer(Path.Combine(Root, "visual")).Train(Train, Validation, SmallOptions(ModalityUse.VisualOnly));
        FusedScores = Score(Fused.BestCheckpoint);
        VisualOnlyScores = Score(VisualOnly.BestCheckpoint);
    }

    private EvaluationResult Score(string checkpoint)
    {
        var loaded = Checkpoint.Load(checkpoint);
        return DatasetEvaluation.Score(loaded.Model, Validation, loaded.Options.Validation);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
