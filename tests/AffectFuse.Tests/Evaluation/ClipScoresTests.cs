using Xunit;
using AffectFuse.Evaluation;

namespace AffectFuse.Tests.Evaluation;

public class ClipScoresTests
{
    [Fact]
    public void MajorityIgnoresFramesWithoutASayAndBreaksTiesTowardsTheLowerClass()
    {
        Assert.Equal(1, ClipOutcome.Majority([2, 1, 1, 2, -1, -1, -1]));
        Assert.Equal(5, ClipOutcome.Majority([0, 5, 5, -1, 5, 0]));
        Assert.Equal(3, ClipOutcome.Majority([3]));
        Assert.Null(ClipOutcome.Majority([-1, -1]));
        Assert.Null(ClipOutcome.Majority([]));
    }

    private static ClipOutcome Clip(string name, int truth, int? model, int? faceApi = null, bool withFaceApi = true)
    {
        var predicted = new Dictionary<ComparedSystem, int?> { [ComparedSystem.Model] = model };
        if (withFaceApi)
            predicted[ComparedSystem.FaceApi] = faceApi;
        return new ClipOutcome(name, truth, 10, 10, predicted);
    }

    [Fact]
    public void ScoresClipsWithMacroF1OverThePresentClassesAndClipsWithoutALabelCountingAsWrong()
    {
        // Truth classes present: Neutral (0), Happiness (4), Sadness (5).
        var clips = new[]
        {
            Clip("a", 4, 4, faceApi: 4), Clip("b", 4, 5, faceApi: null), Clip("c", 5, 5, faceApi: 5),
            Clip("d", 0, null, faceApi: 0), Clip("e", 0, 0, faceApi: null),
        };

        var result = ClipEvaluationResult.Compute(clips);

        Assert.Equal([0, 4, 5], result.ClassesPresent);
        Assert.Equal([ComparedSystem.Model, ComparedSystem.FaceApi], result.Systems.Select(s => s.System));
        var model = result.Model;
        // Neutral: P 1/1, R 1/2 (d has no label); Happiness: P 1/1, R 1/2; Sadness: P 1/2, R 1/1 → each F1 2/3.
        Assert.Equal(3.0 / 5, model.Accuracy, 12);
        Assert.Equal(2.0 / 3, model.MacroF1, 12);
        Assert.Equal(0.5, model.PerClass[0].Recall, 12);
        Assert.Equal(2, model.PerClass[0].Support);
        Assert.Equal(0.5, model.PerClass[5].Precision, 12);
        Assert.Equal(1, model.Confusion[4, 5]);
        Assert.Equal(1, model.Unlabelled[0]);
        Assert.Equal(5, model.Clips);
        // face-api: right on a, c, d; no label on b and e (both wrong) → accuracy 3/5, every class P = 1:
        // Neutral R 1/2, Happiness R 1/2, Sadness R 1 → F1 2/3, 2/3, 1.
        var faceApi = result.Systems[1];
        Assert.Equal(3.0 / 5, faceApi.Accuracy, 12);
        Assert.Equal((2.0 / 3 + 2.0 / 3 + 1) / 3, faceApi.MacroF1, 12);
        Assert.Equal(2, faceApi.Unlabelled.Sum());
    }

    [Fact]
    public void ASystemMissingFromAnyClipIsNotScored()
    {
        var result = ClipEvaluationResult.Compute([Clip("a", 1, 1, 1), Clip("b", 2, 2, withFaceApi: false)]);
        Assert.Equal([ComparedSystem.Model], result.Systems.Select(s => s.System));
        Assert.Equal(1.0, result.Model.Accuracy);
    }
}
