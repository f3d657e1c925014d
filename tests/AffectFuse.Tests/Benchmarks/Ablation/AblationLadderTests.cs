using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Training;
using Xunit;
using AffectFuse.Model;

namespace AffectFuse.Tests.Benchmarks.Ablation;

public class AblationLadderTests
{
    [Fact]
    public void SelectingARungAddsWhatItDependsOn()
    {
        Assert.Equal(["+focal", "+soft-voting", "+smoothing"], AblationLadder.Select(["+smoothing"]).Select(c => c.Name));
        Assert.Equal(["visual-only", "+focal", "+soft-voting"], AblationLadder.Select(["+soft-voting", " Visual-Only "]).Select(c => c.Name));
        Assert.Equal(AblationLadder.Standard, AblationLadder.Select(null));
        Assert.Equal(AblationLadder.Standard, AblationLadder.Select([]));
    }

    [Fact]
    public void AnUnknownRungIsAClearError()
    {
        var e = Assert.Throws<AffectFuseException>(() => AblationLadder.Select(["cross-safe", "late-fusion"]));
        Assert.Contains("'late-fusion'", e.Message);
        Assert.Contains("+smoothing", e.Message);
    }

    [Fact]
    public void EachRungAddsOneThingToTheRungAbove()
    {
        var byName = AblationLadder.Standard.ToDictionary(c => c.Name);
        // Differences between consecutive rungs of the method's ladder, one component each.
        Assert.False(byName["cross-unsafe"].SafeAttention);
        Assert.Equal(byName["cross-unsafe"] with { Name = "x", Description = "x", SafeAttention = true, ReportPerClass = true }, byName["cross-safe"] with { Name = "x", Description = "x" });
        Assert.Equal(byName["cross-safe"] with { Name = "x", Description = "x", ModalityDropout = true }, byName["+modality-dropout"] with { Name = "x", Description = "x" });
        Assert.Equal(byName["+modality-dropout"] with { Name = "x", Description = "x", FocalLoss = true }, byName["+focal"] with { Name = "x", Description = "x" });
        Assert.Equal("+focal", byName["+soft-voting"].ReusesModelsOf);
        Assert.Equal("+soft-voting", byName["+smoothing"].InferenceFrom);
    }

    [Fact]
    public void BaseRungsTrainWithCrossEntropyAndNoDropout()
    {
        var options = new AblationOptions();
        var concat = AblationRunner.TrainingFor(AblationLadder.Standard.Single(c => c.Name == "concat"), 2, options);
        Assert.Equal(0.0, concat.FocalGamma);
        Assert.Equal(ClassWeighting.Uniform, concat.ClassWeighting);
        Assert.Null(concat.ModalityDropout);
        Assert.Equal(2, concat.Seed);
        Assert.Equal(concat.Window, concat.Validation.Stride);
        Assert.Equal(0, concat.Validation.SmoothingHalfWidth);
        var focal = AblationRunner.TrainingFor(AblationLadder.Standard.Single(c => c.Name == "+focal"), 1, options);
        Assert.Equal(2.0, focal.FocalGamma);
        Assert.Equal(ClassWeighting.InverseFrequency, focal.ClassWeighting);
        Assert.NotNull(focal.ModalityDropout);
    }

    [Fact]
    public void OptionsThatCannotRunAreRefused()
    {
        Assert.Throws<AffectFuseException>(() => new AblationOptions { Seeds = 0 }.Validate());
        Assert.Throws<AffectFuseException>(() => new AblationOptions { VotingStrideFractions = [0.5, 1.0] }.Validate());
        Assert.Throws<AffectFuseException>(() => new AblationOptions { SmoothingHalfWidths = [0, 8] }.Validate());
        new AblationOptions().Validate();
    }

    [Fact]
    public void MeanAndSampleStandardDeviation()
    {
        var m = MeanSd.Of([0.5, 0.6, 0.7]);
        Assert.Equal(0.6, m.Mean, 12);
        Assert.Equal(0.1, m.Sd, 12);
        Assert.Equal("0.600 ± 0.100", m.Format(3));
        Assert.Equal("60.0 ± 10.0 %", m.Format(1, 100, " %"));
        Assert.Equal("0.420", MeanSd.Of([0.42]).Format(3));
    }
}
