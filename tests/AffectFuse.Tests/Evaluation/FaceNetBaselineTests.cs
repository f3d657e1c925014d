using Xunit;
using AffectFuse.Evaluation;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Tests.Data;
using static AffectFuse.Tests.Evaluation.ClipTestKit;
using AffectFuse.Features;

namespace AffectFuse.Tests.Evaluation;

public class FaceNetBaselineTests
{
    [Fact]
    public void EachNetVotesTheArgmaxOfItsOwnProbabilitiesOnFaceFramesOnly()
    {
        var clip = Clip("c",
            new Face("happy", "fear"), new Face("happy", "fear"), null, new Face("surprised", "angry"), new Face("neutral", "disgust"), new Face("fearful", "sad"));

        var votes = FaceNetBaseline.Of(clip);

        // face-api: happy → Happiness 4, surprised → Surprise 6, neutral → 0, fearful → Fear 3; no face → no say.
        Assert.Equal([4, 4, FaceNetBaseline.NoFace, 6, 0, 3], votes[ComparedSystem.FaceApi].Frames);
        // mini-Xception: fear → 3, angry → Anger 1, disgust → Disgust 2, sad → Sadness 5.
        Assert.Equal([3, 3, FaceNetBaseline.NoFace, 1, 2, 5], votes[ComparedSystem.MiniXception].Frames);
    }

    [Fact]
    public void TheMeanCanDisagreeWithTheMajorityAndIsNullWithoutAFace()
    {
        // Two unsure happy frames (0.4, the other six 0.1 each) and one sure surprised frame (0.9): the majority says
        // Happiness, the mean says Surprise ((0.1 + 0.1 + 0.9) / 3 > (0.4 + 0.4 + 0.1 / 6) / 3).
        var clip = Clip("c", new Face("happy", Peak: 0.4f), new Face("happy", Peak: 0.4f), new Face("surprised", Peak: 0.9f));
        var votes = FaceNetBaseline.Of(clip)[ComparedSystem.FaceApi];
        Assert.Equal(4, ClipOutcome.Majority(votes.Frames));
        Assert.Equal(6, votes.Mean);

        Assert.Null(FaceNetBaseline.Of(Clip("none", Frames(5, null)))[ComparedSystem.FaceApi].Mean);
    }

    [Fact]
    public void FeaturesWithoutANetsColumnsHaveNoVoteFromIt()
    {
        var clip = Clip("c", new Face("happy", "sad"));
        var miniOnly = FeatureSetSelection.Select(clip, VisualFeatureGroups.MiniXception, null);
        Assert.Equal([ComparedSystem.MiniXception], FaceNetBaseline.Of(miniOnly).Keys);
        // Columns of another extractor cannot be told apart.
        Assert.Empty(FaceNetBaseline.Of(TestFeatures.Make("other", 4)));
    }
}
