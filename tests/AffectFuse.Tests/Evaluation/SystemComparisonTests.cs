using Xunit;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Features.Sets;
using AffectFuse.Inference;
using AffectFuse.Training;
using static AffectFuse.Tests.Evaluation.ClipTestKit;
using AffectFuse.Features;

namespace AffectFuse.Tests.Evaluation;

public class SystemComparisonTests
{
    private static readonly Face Happy = new("happy", "happy"), Sad = new("sad", "angry");

    private static VideoFeatures Own(LoadedCheckpoint checkpoint, VideoFeatures file)
        => FeatureSetSelection.ForSets(file, checkpoint.Model.Options.VisualFeatures, checkpoint.Model.Options.AudioFeatures);

    // The same video with every value of one stream replaced (masks kept).
    private static VideoFeatures Scrambled(VideoFeatures v, bool face) => new()
    {
        VideoId = v.VideoId, VisualMask = v.VisualMask, AudioMask = v.AudioMask, Timestamps = v.Timestamps, Meta = v.Meta,
        Visual = face ? FeatureMatrix.Of([.. v.Visual.ToSingles().Select(x => 3 - x)], v.VisualDim) : v.Visual,
        Audio = face ? v.Audio : FeatureMatrix.Of([.. v.Audio.ToSingles().Select(x => 3 - x)], v.AudioDim),
    };

    [Fact]
    public void AMaskedStreamIsNotSeenAtAll()
    {
        using var temp = new TempFolder();
        var checkpoint = AffectFuse.Training.Checkpoint.Load(ClipTestKit.Checkpoint(temp.Path));
        var model = checkpoint.Model;
        var options = checkpoint.Options.Validation;
        var video = Own(checkpoint, Clip("v", [.. Frames(20, Happy), .. Frames(5, null), .. Frames(15, Sad)]));

        var faceMasked = SystemComparison.Masked(video, face: true);
        Assert.All(faceMasked.VisualMask, Assert.False);
        Assert.Same(video.AudioMask, faceMasked.AudioMask);
        var voiceMasked = SystemComparison.Masked(video, face: false);
        Assert.All(voiceMasked.AudioMask, Assert.False);
        Assert.Same(video.VisualMask, voiceMasked.VisualMask);

        float[] Probabilities(VideoFeatures v) => VideoPredictor.Predict(model, v, options).Probabilities;
        // Masked, the stream's values change nothing; unmasked they do, so the test can tell.
        Assert.Equal(Probabilities(faceMasked), Probabilities(SystemComparison.Masked(Scrambled(video, face: true), face: true)));
        Assert.Equal(Probabilities(voiceMasked), Probabilities(SystemComparison.Masked(Scrambled(video, face: false), face: false)));
        Assert.NotEqual(Probabilities(video), Probabilities(Scrambled(video, face: true)));
        Assert.NotEqual(Probabilities(video), Probabilities(faceMasked));

        var labels = SystemComparison.SingleBranchLabels(model, video, options);
        Assert.Equal(VideoPredictor.Predict(model, faceMasked, options).Labels, labels[ComparedSystem.FaceMasked]);
        Assert.Equal(VideoPredictor.Predict(model, voiceMasked, options).Labels, labels[ComparedSystem.VoiceMasked]);
    }
}
