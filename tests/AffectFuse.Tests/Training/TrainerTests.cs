using System.Text.Json;
using AffectFuse.Data;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>Runs alone: libtorch's thread count is process-wide, and the exact-resume check needs it to stay put.</summary>
[CollectionDefinition(nameof(SerialTorchCollection), DisableParallelization = true)]
public sealed class SerialTorchCollection;

[Collection(nameof(SerialTorchCollection))]
public class TrainerTests(SyntheticTrainingFixture run) : IClassFixture<SyntheticTrainingFixture>
{
    [Fact]
    public void FusedModelLearnsFarAboveChance()
    {
        // Chance-level macro-F1 on 8 long-tailed classes is about 0.1; predicting the majority class gives about 0.06.
        Assert.True(run.FusedScores.Overall.MacroF1 > 0.45, $"validation macro-F1 {run.FusedScores.Overall.MacroF1:F3}");
        Assert.Equal(run.Fused.BestValidationMacroF1, run.FusedScores.Overall.MacroF1, 6);
    }

    [Fact]
    public void FusionBeatsVisualOnlyWhereTheFaceIsMissing()
    {
        var fused = run.FusedScores.Conditions.FaceAbsent;
        var visual = run.VisualOnlyScores.Conditions.FaceAbsent;
        Assert.True(fused.Frames > 200, $"only {fused.Frames} face-absent frames");
        Assert.True(fused.MacroF1 > visual.MacroF1 + 0.1, $"face absent: fused {fused.MacroF1:F3} vs visual-only {visual.MacroF1:F3}");
        Assert.True(fused.Accuracy > visual.Accuracy, $"face absent accuracy: fused {fused.Accuracy:P1} vs visual-only {visual.Accuracy:P1}");
    }

    [Fact]
    public void WritesCheckpointsOptionsLogAndCurves()
    {
        string dir = Path.GetDirectoryName(run.Fused.BestCheckpoint)!;
        foreach (var name in new[] { "best.ckpt", "best.ckpt.options.json", "last.ckpt", "last.ckpt.options.json", "training_log.csv", "curves.png" })
            Assert.True(File.Exists(Path.Combine(dir, name)), $"{name} missing");
        var saved = JsonSerializer.Deserialize<TrainOptions>(File.ReadAllText(Path.Combine(dir, "best.ckpt.options.json")), OptionsJson.Settings)!;
        Assert.Equal(SyntheticTrainingFixture.SmallOptions(ModalityUse.Both).Window, saved.Window);
        Assert.Equal(run.Train[0].Features.VisualDim, saved.Model.VisualDim);
        var log = TrainingLog.Read(Path.Combine(dir, "training_log.csv"));
        Assert.Equal(run.Fused.EpochsRun, log.Count);
        Assert.Equal(Enumerable.Range(1, log.Count), log.Select(r => r.Epoch));
        Assert.Equal(run.Fused.BestValidationMacroF1, log.Max(r => r.ValidationMacroF1), 6);
    }

    [Fact]
    public void ResumedRunMatchesAnUninterruptedOne()
    {
        var train = run.Train.Take(4).ToList();
        var validation = run.Validation.Take(2).ToList();
        var options = SyntheticTrainingFixture.SmallOptions(ModalityUse.Both) with { Epochs = 3, Threads = 1 };
        string whole = Path.Combine(run.Root, "resume-whole"), parts = Path.Combine(run.Root, "resume-parts");

        var uninterrupted = new Trainer(whole).Train(train, validation, options);
        // Kill the second run after its second epoch has been saved, as a user's Ctrl+C or a lost machine would.
        using var kill = new CancellationTokenSource();
        var stopAfterEpoch2 = new SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == 2 && p.Phase == "done") kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => new Trainer(parts, null, new TrainingReportFiles()).Train(train, validation, options, stopAfterEpoch2, kill.Token));
        Assert.Equal(2, TrainingLog.Read(Path.Combine(parts, "training_log.csv")).Count);
        var resumed = new Trainer(parts, null, new TrainingReportFiles()).Train(train, validation, options, resumeFrom: Path.Combine(parts, Trainer.LastCheckpointName));

        Assert.Equal(3, resumed.History.Count);
        Assert.Equal(uninterrupted.History.Select(r => r.ValidationMacroF1), resumed.History.Select(r => r.ValidationMacroF1));
        Assert.Equal(uninterrupted.History[^1].TrainLoss, resumed.History[^1].TrainLoss, 5);
        Assert.Equal(3, Checkpoint.Load(Path.Combine(parts, Trainer.LastCheckpointName)).State.Epoch);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)] // mixup's draws too must be drawn again identically
    public void KilledMidEpochResumesToTheSameWeightsBitForBit(double mixup)
    {
        var train = run.Train.Take(4).ToList();
        var validation = run.Validation.Take(2).ToList();
        // Random phase too: the plan of the epoch that was cut short must be drawn again identically.
        var options = SyntheticTrainingFixture.SmallOptions(ModalityUse.Both) with { Epochs = 3, Threads = 1, RandomPhase = true, Stride = 64, Mixup = mixup };
        string whole = Path.Combine(run.Root, $"mid-whole-{mixup}"), parts = Path.Combine(run.Root, $"mid-parts-{mixup}");
        new Trainer(whole).Train(train, validation, options);

        // Stop in the middle of epoch 2, with batches assembled ahead on the prefetch thread.
        using var kill = new CancellationTokenSource();
        var midEpoch2 = new SynchronousProgress<TrainingProgress>(p => { if (p.Epoch == 2 && p.Phase == "train" && p.Batch == 2) kill.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => new Trainer(parts).Train(train, validation, options, midEpoch2, kill.Token));
        Assert.Equal(1, Checkpoint.Load(Path.Combine(parts, Trainer.LastCheckpointName)).State.Epoch);
        new Trainer(parts).Train(train, validation, options, resumeFrom: Path.Combine(parts, Trainer.LastCheckpointName));

        foreach (string name in new[] { Trainer.LastCheckpointName, Trainer.BestCheckpointName })
        {
            using var expected = Checkpoint.Load(Path.Combine(whole, name)).Model;
            using var actual = Checkpoint.Load(Path.Combine(parts, name)).Model;
            var got = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (key, parameter) in expected.named_parameters())
                Assert.True(parameter.data<float>().ToArray().SequenceEqual(got[key].data<float>().ToArray()), $"{name}: {key} differs");
        }
    }

    [Fact]
    public void MismatchedFeatureWidthsAreAClearError()
    {
        var odd = run.Validation[0].Features;
        var narrow = new LabelledVideo(new VideoFeatures
        {
            VideoId = "narrow", Visual = FeatureMatrix.Zeros(odd.FrameCount, 3), VisualMask = odd.VisualMask, Audio = odd.Audio, AudioMask = odd.AudioMask,
            Timestamps = odd.Timestamps,
        }, run.Validation[0].Labels);
        var e = Assert.Throws<AffectFuseException>(() =>
            new Trainer(Path.Combine(run.Root, "bad")).Train(run.Train.Take(2).ToList(), [narrow], SyntheticTrainingFixture.SmallOptions(ModalityUse.Both)));
        Assert.Contains("narrow", e.Message);
        Assert.Contains("3+", e.Message);
    }
}
