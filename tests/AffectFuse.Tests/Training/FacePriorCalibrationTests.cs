using AffectFuse.Data;
using AffectFuse.Features.Visual;
using AffectFuse.Model;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>The calibrated face prior: fitted to the training face frames by maximum likelihood, then held while the
/// rest trains.</summary>
public sealed class FacePriorCalibrationTests
{
    private const VisualFeatureGroups Groups = VisualFeatureGroups.FaceApiExpression;
    private const int AudioDim = 6;
    private static readonly int[] FaceApiClass = [0, 4, 5, 1, 3, 2, 6]; // face-api's order → the eight classes

    // face-api sure of itself (0.97 on one class) and right on 60 % of the face frames, the rest spread over the other
    // six: the calibrated logit gap is ln(0.6 / 0.0667) ≈ 2.2 where face-api's log-probabilities give ln(0.97 / 0.005)
    // ≈ 5.3, so its weight falls to about 0.42. Every 5th frame has no face (its row garbage), every 7th no label.
    private static List<LabelledVideo> Videos(int count, int frames, int seed)
    {
        var random = new Random(seed);
        int width = VisualFeatureLayout.Width(Groups);
        var videos = new List<LabelledVideo>();
        for (int v = 0; v < count; v++)
        {
            var visual = new float[frames * width];
            var mask = new bool[frames];
            var labels = new int[frames];
            for (int f = 0; f < frames; f++)
            {
                int truth = random.Next(7);
                labels[f] = f % 7 == 3 ? ExpressionClasses.Unannotated : FaceApiClass[truth];
                mask[f] = f % 5 != 4;
                int said = random.NextDouble() < 0.6 ? truth : (truth + 1 + random.Next(6)) % 7;
                for (int k = 0; k < 7; k++)
                    visual[f * width + k] = mask[f] ? (k == said ? 0.97f : 0.005f) : float.NaN;
            }
            var features = new VideoFeatures
            {
                VideoId = $"v{v}", Visual = FeatureMatrix.Of(visual, width), VisualMask = mask,
                Audio = FeatureMatrix.Zeros(frames, AudioDim), AudioMask = new bool[frames],
                Timestamps = Enumerable.Range(0, frames).Select(t => t / 25.0).ToArray(),
                Meta = new FeatureMeta { VisualFeatures = VisualFeatureLayout.Id(Groups).Name, VisualVersion = VisualFeatureLayout.Id(Groups).Version },
            };
            videos.Add(new LabelledVideo(features, labels));
        }
        return videos;
    }

    private static TrainOptions Options() => SyntheticTrainingFixture.SmallOptions(ModalityUse.Both) with
    {
        Epochs = 1,
        CalibratedFacePrior = true,
        Model = SyntheticTrainingFixture.SmallOptions(ModalityUse.Both).Model with
        {
            VisualDim = VisualFeatureLayout.Width(Groups), VisualFeatures = VisualFeatureLayout.Id(Groups), AudioDim = AudioDim, FacePrior = true,
        },
    };

    [Fact]
    public void AnOverconfidentNetIsCooledToItsAccuracyOnEveryFourthLabelledFaceFrame()
    {
        var videos = Videos(4, 400, seed: 1);
        using var model = new AffectFuseModel(Options().Model);
        var (frames, before, after) = FacePriorCalibration.Calibrate(model.Prior!, videos);

        int expected = videos.Sum(v => (Enumerable.Range(0, 400).Count(f => v.Features.VisualMask[f] && v.Labels[f] >= 0) + 3) / 4);
        Assert.Equal(expected, frames);
        Assert.True(after < before - 0.5, $"the fit did not lower the loss: {before} -> {after}");
        var (weights, offsets) = model.Prior!.Values();
        Assert.InRange(weights[0], 0.3f, 0.55f);
        Assert.True(offsets[7] < offsets.Take(7).Min() - 2, "Other, which no frame has, stays the least likely class");
    }

    [Fact]
    public void TrainingAndAResumedRunHoldTheCalibratedPrior()
    {
        using var temp = new TempFolder();
        var (train, validation) = (Videos(6, 300, seed: 2), Videos(2, 300, seed: 3));
        using var reference = new AffectFuseModel(Options().Model);
        FacePriorCalibration.Calibrate(reference.Prior!, train);
        string run = temp.Folder("run");

        new Trainer(run).Train(train, validation, Options());
        var resumed = new Trainer(run).Train(train, validation, Options() with { Epochs = 2 }, resumeFrom: run);

        foreach (string checkpoint in new[] { resumed.BestCheckpoint, Path.Combine(run, "last.ckpt") })
        {
            using var trained = Checkpoint.Load(checkpoint).Model;
            Assert.Equal(reference.Prior!.Values().Weights, trained.Prior!.Values().Weights);
            Assert.Equal(reference.Prior!.Values().Offsets, trained.Prior!.Values().Offsets);
        }
        Assert.Equal(2, Checkpoint.Load(Path.Combine(run, "last.ckpt")).State.Epoch);
    }

    [Fact]
    public void CalibratingWithoutTheFacePriorIsRefusedNamingTheOption()
    {
        var options = Options() with { Model = Options().Model with { FacePrior = false } };
        var e = Assert.Throws<AffectFuseException>(options.Validate);
        Assert.Equal("TrainOptions.CalibratedFacePrior", e.Option);
    }
}
