using AffectFuse.Evaluation;
using System.Globalization;
using System.Text.Json;
using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Ablation;

public class AblationRunnerTests(AblationFixture run) : IClassFixture<AblationFixture>
{
    private static readonly string[] Ladder =
        ["visual-only", "audio-only", "concat", "cross-unsafe", "cross-safe", "+modality-dropout", "+focal", "+soft-voting", "+smoothing", "strong-dropout"];

    [Fact]
    public void EveryConfigurationHasARowWithFiniteScores()
    {
        Assert.Equal(Ladder, run.Report.Rows.Select(r => r.Config));
        Assert.Equal(Ladder, run.Report.Runs.Select(r => r.Config));
        foreach (var row in run.Report.Rows)
        {
            var figures = new[] { row.ValidationMacroF1, row.ValidationAccuracy, row.TestMacroF1, row.TestAccuracy, row.TestFaceAbsentMacroF1,
                row.TestFacePresentMacroF1, row.TestFlipsPerMinute }.Concat(row.TestPerClassF1);
            Assert.All(figures, m => Assert.True(double.IsFinite(m.Mean) && m.N == 1, $"{row.Config}: {m}"));
            Assert.InRange(row.TestMacroF1.Mean, 0, 1);
            Assert.True(row.TrainingBatches > 0 && row.ValidationWindows > 0 && row.TestWindows > 0, row.Config);
            if (row.Config == "cross-unsafe") continue;
            // Safe attention never produces NaN, whatever is missing.
            Assert.Equal(0, row.NonFiniteTrainingBatches);
            Assert.Equal(0, row.NonFiniteValidationWindows);
            Assert.Equal(0, row.NonFiniteTestWindows);
        }
    }

    [Fact]
    public void PlainSoftmaxNaNsAreCounted()
    {
        var t = run.Options.Training;
        int trainMissing = AblationFixture.WindowsMissingAStream(run.Train, TrainingWindow.Plan(run.Train, t.Window, t.Stride));
        int testMissing = AblationFixture.WindowsMissingAStream(run.Test, AblationFixture.InferenceWindows(run.Test, t.Window, t.Window));
        Assert.True(trainMissing > 0 && testMissing > 0, $"the fixture's data must have windows lacking a stream (train {trainMissing}, test {testMissing})");
        Assert.Equal(trainMissing, run.Report.Train.WindowsMissingAStream);
        Assert.Equal(testMissing, run.Report.Test.WindowsMissingAStream);

        var unsafeRun = run.Run("cross-unsafe");
        Assert.True(unsafeRun.NonFiniteTrainingBatches > 0, "no non-finite training batch counted");
        // Every window lacking a stream is NaN under plain masked softmax (more once NaN gradients have reached the weights).
        Assert.InRange(unsafeRun.Test.NonFiniteWindows, testMissing, unsafeRun.Test.Windows);
        Assert.Equal(AblationFixture.InferenceWindows(run.Test, t.Window, t.Window).Count(), unsafeRun.Test.Windows);
    }

    [Fact]
    public void InferenceOnlyRungsReuseTheFocalModels()
    {
        var focal = run.Run("+focal");
        Assert.True(focal.Trained);
        foreach (string name in new[] { "+soft-voting", "+smoothing" })
        {
            var r = run.Run(name);
            Assert.False(r.Trained);
            Assert.Equal("+focal", r.ModelsFrom);
            Assert.Equal(focal.Checkpoint, r.Checkpoint);
            Assert.Equal(focal.BestEpoch, r.BestEpoch);
            Assert.Equal(0, r.TrainingSeconds);
            Assert.False(File.Exists(Path.Combine(run.Out, AblationRunner.RunsFolder, name, "seed1", Trainer.BestCheckpointName)), $"{name} trained a model");
        }
        var loaded = Checkpoint.Load(Path.Combine(run.Out, focal.Checkpoint));
        Assert.Equal(2.0, loaded.Options.FocalGamma);
        Assert.Equal(ClassWeighting.InverseFrequency, loaded.Options.ClassWeighting);
        Assert.NotNull(loaded.Options.ModalityDropout);
        Assert.Equal(focal.BestEpoch, loaded.State.Epoch);
    }

    [Fact]
    public void TrainedRungsUseTheirComponentsAndTheBaseInference()
    {
        var t = run.Options.Training;
        foreach (var r in run.Report.Runs.Where(r => r.Trained))
        {
            var options = Checkpoint.Load(Path.Combine(run.Out, r.Checkpoint)).Options;
            var config = AblationLadder.Standard.Single(c => c.Name == r.Config);
            Assert.Equal(config.Modalities, options.Model.Modalities);
            Assert.Equal(config.Fusion, options.Model.Fusion);
            Assert.Equal(config.SafeAttention, options.Model.SafeAttention);
            Assert.Equal(config.ModalityDropout, options.ModalityDropout is not null);
            Assert.Equal(config.FocalLoss ? 2.0 : 0.0, options.FocalGamma);
            Assert.Equal(t.Window, r.Inference.Stride);
            Assert.Equal(0, r.Inference.SmoothingHalfWidth);
        }
    }

    [Fact]
    public void EverySettingIsChosenOnValidation()
    {
        // Best epoch: the validation score of each trained rung is its training log's best.
        foreach (var r in run.Report.Runs.Where(r => r.Trained && r.Config != "cross-unsafe"))
        {
            var log = TrainingLog.Read(Path.Combine(run.Out, AblationRunner.RunsFolder, r.Config, "seed1", "training_log.csv"));
            Assert.Equal(log.MaxBy(e => e.ValidationMacroF1)!.Epoch, r.BestEpoch);
            Assert.Equal(log.Max(e => e.ValidationMacroF1), r.Validation.MacroF1, 9);
        }

        // Stride and δ: an independent validation sweep with the +focal model picks the same settings.
        var voting = run.Run("+soft-voting");
        var smoothing = run.Run("+smoothing");
        using var model = Checkpoint.Load(Path.Combine(run.Out, run.Run("+focal").Checkpoint)).Model;
        var baseInference = run.Options.BaseInference;
        var strideSweep = Sweep.Run(model, run.Validation, new SweepGrid([baseInference.Window], run.Options.VotingStrideFractions, [0]), baseInference);
        Assert.Equal(strideSweep.Best.Options.Stride, voting.Inference.Stride);
        Assert.True(voting.Inference.Stride < baseInference.Window);
        Assert.Equal(strideSweep.Best.Scores.MacroF1, voting.Validation.MacroF1, 9);

        var deltaSweep = Sweep.Run(model, run.Validation,
            new SweepGrid([baseInference.Window], [(double)voting.Inference.Stride / baseInference.Window], run.Options.SmoothingHalfWidths), baseInference);
        Assert.Equal(voting.Inference.Stride, smoothing.Inference.Stride);
        Assert.Equal(deltaSweep.Best.Options.SmoothingHalfWidth, smoothing.Inference.SmoothingHalfWidth);
        Assert.Equal(smoothing.ValidationSweep.MaxBy(p => p.MacroF1)!.SmoothingHalfWidth, smoothing.Inference.SmoothingHalfWidth);
        Assert.Equal(run.Options.SmoothingHalfWidths, smoothing.ValidationSweep.Select(p => p.SmoothingHalfWidth));
    }

    [Fact]
    public void JsonAndMarkdownAgreeWithTheRuns()
    {
        var json = JsonSerializer.Deserialize<AblationReport>(File.ReadAllText(Path.Combine(run.Out, AblationRunner.JsonFileName)), OptionsJson.Settings)!;
        Assert.Equal(Ladder.Length, json.Runs.Count);
        Assert.Equal(run.Report.Runs.Select(r => r.Test.MacroF1), json.Runs.Select(r => r.Test.MacroF1));
        Assert.Equal(run.Report.Runs.Select(r => r.Inference), json.Runs.Select(r => r.Inference));
        Assert.Equal(AblationFixture.Command, json.Command);

        string[] md = File.ReadAllLines(Path.Combine(run.Out, AblationRunner.MarkdownFileName));
        Assert.Contains(md, l => l.Contains($"`{AblationFixture.Command}`") && l.Contains(json.Date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
        foreach (var r in json.Runs)
        {
            // Recomputed from the per-run scores, not from the aggregated rows.
            string[] cells = md.Single(l => l.StartsWith($"| {r.Config} |") && l.Contains(" %")).Split('|', StringSplitOptions.TrimEntries)[1..^1];
            Assert.Equal(AblationMarkdown.Columns.Count, cells.Length);
            Assert.Equal(F3(r.Validation.MacroF1), cells[1]);
            Assert.Equal(F3(r.Test.MacroF1), cells[3]);
            Assert.Equal((100 * r.Test.Accuracy).ToString("F1", CultureInfo.InvariantCulture) + " %", cells[4]);
            Assert.Equal(F3(r.Test.FaceAbsentMacroF1), cells[5]);
            Assert.Equal(F3(r.Test.FacePresentMacroF1), cells[6]);
            Assert.Equal($"{r.NonFiniteTrainingBatches} / {r.TrainingBatches}", cells[8].Replace(",", ""));
        }
        // Per-class rows for the three training-recipe rungs, with the focal model's per-class F1.
        var focal = json.Runs.Single(r => r.Config == "+focal");
        string perClass = md.Single(l => l.StartsWith("| +focal |") && !l.Contains(" %"));
        Assert.Equal(focal.Test.PerClassF1.Select(F3), perClass.Split('|', StringSplitOptions.TrimEntries)[2..^1]);
        Assert.Equal(4, md.Count(l => !l.Contains(" %") && (l.StartsWith("| cross-safe |") || l.StartsWith("| +modality-dropout |") || l.StartsWith("| +focal |") || l.StartsWith("| strong-dropout |"))));
    }

    [Fact]
    public void ResumeSkipsFinishedRunsAndRedoesWhatDependsOnARedoneRun()
    {
        string copy = run.CopyOut();
        var stamps = Directory.EnumerateFiles(copy, "*.ckpt", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var again = new AblationRunner(copy).Run(run.Train, run.Validation, run.Test, run.Options, AblationFixture.Command);
        Assert.Equal(0, again.RunsComputed);
        Assert.Equal(Ladder.Length, again.RunsReused);
        Assert.Equal(run.Report.Runs.Select(r => r.Test.MacroF1), again.Runs.Select(r => r.Test.MacroF1));
        Assert.All(stamps, s => Assert.Equal(s.Value, File.GetLastWriteTimeUtc(s.Key)));

        // A run killed before its result was written is trained again; the rungs built on its models are recomputed.
        File.Delete(Path.Combine(copy, AblationRunner.RunsFolder, "+focal", "seed1", AblationRunner.ResultFileName));
        var resumed = new AblationRunner(copy).Run(run.Train, run.Validation, run.Test, run.Options, AblationFixture.Command);
        Assert.Equal(3, resumed.RunsComputed);
        Assert.Equal(Ladder.Length - 3, resumed.RunsReused);
        string visual = Path.Combine(copy, AblationRunner.RunsFolder, "visual-only", "seed1", Trainer.BestCheckpointName);
        Assert.Equal(stamps[visual], File.GetLastWriteTimeUtc(visual));
        Assert.True(File.Exists(Path.Combine(copy, AblationRunner.RunsFolder, "+smoothing", "seed1", AblationRunner.ResultFileName)));
    }

    [Fact]
    public void RunsMadeWithOtherSettingsAreRefused()
    {
        string copy = run.CopyOut();
        var e = Assert.Throws<AffectFuseException>(() =>
            new AblationRunner(copy).Run(run.Train, run.Validation, run.Test, AblationFixture.Tiny(epochs: 2), AblationFixture.Command));
        Assert.Contains(AblationRunner.ResultFileName, e.Message);
        Assert.Contains("other settings", e.Message);
    }
}
