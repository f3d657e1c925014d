using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.Model;
using Xunit;
using AffectFuse.Workflows;
using AffectFuse.Features;

namespace AffectFuse.Tests.Features.Sets;

public class FeatureSetTests
{
    private const VisualFeatureGroups AllVisual = VisualFeatureLayout.All;

    [Fact]
    public void NamesRoundTripInRowOrderAndTheOriginalNamesStillParse()
    {
        Assert.Equal(VisualFeatureGroups.MiniXception, VisualFeatureLayout.Parse("human-emotion-minixception"));
        Assert.Equal(AudioFeatureGroups.Prosody, AudioFeatureSets.Parse("affectfuse-audio"));
        foreach (var groups in new[] { VisualFeatureGroups.FaceApiExpression, VisualFeatureGroups.Landmarks | VisualFeatureGroups.MiniXception, AllVisual })
            Assert.Equal(groups, VisualFeatureLayout.Parse(VisualFeatureLayout.Name(groups)));
        // Asked for in any order, the row and the name follow the enum's order.
        Assert.Equal(VisualFeatureLayout.ParseOption("landmarks, minixception"), VisualFeatureLayout.ParseOption("minixception,landmarks"));
        Assert.Equal("human-emotion-minixception+faceapi-landmarks68-geometry", VisualFeatureLayout.Name(VisualFeatureLayout.ParseOption("landmarks,minixception")));
        Assert.Equal(263 + 263 + 24 + 52, VisualFeatureLayout.Width(AllVisual));
        Assert.Equal(145 + 96, AudioFeatureSets.Width(AudioFeatureSets.All));
        Assert.Equal(VisualFeatureLayout.Width(AllVisual), VisualFeatureLayout.Columns(AllVisual).Distinct().Count());
        Assert.Null(VisualFeatureLayout.Parse("npy:visual"));
        Assert.Null(VisualFeatureLayout.Parse("human-emotion-minixception+beit-large"));
    }

    [Theory]
    [InlineData("minixception,beit", "unknown visual feature group 'beit'")]
    [InlineData(" , ", "name at least one visual feature group")]
    public void ABadGroupListNamesTheOptionAndTheChoices(string value, string problem)
    {
        var e = Assert.Throws<AffectFuseException>(() => VisualFeatureLayout.ParseOption(value));
        Assert.Equal("ExtractionOptions.Visual", e.Option);
        Assert.Null(e.File);
        Assert.Contains(problem, e.Message);
        Assert.Contains("faceapi", e.Message);
    }

    [Fact]
    public void SelectionKeepsTheAskedGroupsColumnsAndRenamesTheSet()
    {
        var video = AllGroupsVideo(frames: 3);
        var only = FeatureSetSelection.Select(video, VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks, AudioFeatureGroups.SpeechEmbedding);
        Assert.Equal(263 + 24, only.VisualDim);
        Assert.Equal(96, only.AudioDim);
        Assert.Equal(VisualFeatureLayout.Name(VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks), only.Meta.VisualFeatures);
        Assert.Equal("openwakeword-speech-embedding", only.Meta.AudioFeatures);
        int faceApi = VisualFeatureLayout.Offset(AllVisual, VisualFeatureGroups.FaceApiExpression);
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(video.Visual[t, faceApi], only.Visual[t, 0]);
            Assert.Equal(video.Visual[t, 263 + 263 + 23], only.Visual[t, 263 + 23]);
            Assert.Equal(video.Audio[t, 145], only.Audio[t, 0]);
        }
        Assert.Same(video.VisualMask, only.VisualMask);
    }

    [Fact]
    public void SelectingAGroupTheFileLacksNamesTheFile()
    {
        var video = AllGroupsVideo(frames: 2);
        var mini = FeatureSetSelection.Select(video, VisualFeatureGroups.MiniXception, null);
        var e = Assert.Throws<AffectFuseException>(() => FeatureSetSelection.Select(mini, VisualFeatureGroups.Landmarks, null));
        Assert.Equal("v", e.File);
        Assert.Contains("not all of 'faceapi-landmarks68-geometry'", e.Message);
    }

    [Fact]
    public void AModelRefusesFeaturesOfAnotherSetEvenOfTheSameWidth()
    {
        // The mini-Xception and face-api expression groups are both 263 columns wide.
        var faceApi = FeatureSetSelection.Select(AllGroupsVideo(2), VisualFeatureGroups.FaceApiExpression, AudioFeatureGroups.Prosody);
        var mini = FeatureSetSelection.Select(AllGroupsVideo(2), VisualFeatureGroups.MiniXception, AudioFeatureGroups.Prosody);
        var model = new ModelOptions { VisualDim = 263, AudioDim = 145, VisualFeatures = faceApi.Meta.VisualSet, AudioFeatures = faceApi.Meta.AudioSet };
        FeatureCompatibility.Check(model, faceApi, "a.npz");
        var e = Assert.Throws<AffectFuseException>(() => FeatureCompatibility.Check(model, mini, "b.npz"));
        Assert.Equal("b.npz", e.File);
        Assert.Contains("visual features are 'human-emotion-minixception (version 3.3.6)' but the model was trained on 'faceapi-expression (version 1.7.15)'", e.Message);
        // Models that predate recorded sets, and .npy folders, are judged by width alone.
        FeatureCompatibility.Check(model with { VisualFeatures = null }, mini, "b.npz");
        FeatureCompatibility.Check(model, mini.With(meta: mini.Meta with { VisualFeatures = "npy:visual" }), "b.npy");
    }

    [Fact]
    public void PredictExtractsTheSetTheModelRecords()
    {
        var groups = VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks;
        var model = new ModelOptions
        {
            VisualDim = VisualFeatureLayout.Width(groups), AudioDim = AudioFeatureSets.Width(AudioFeatureSets.All),
            VisualFeatures = VisualFeatureLayout.Id(groups),
            AudioFeatures = AudioFeatureSets.Id(AudioFeatureSets.All),
        };
        var extraction = Recognizer.ExtractionFor(model, null, "m.ckpt");
        Assert.Equal(groups, extraction.Visual);
        Assert.Equal(AudioFeatureSets.All, extraction.Audio);
        // A model without a recorded set reads the original features.
        var legacy = Recognizer.ExtractionFor(new ModelOptions { VisualDim = 263, AudioDim = 145 }, null, "old.ckpt");
        Assert.Equal((VisualFeatureLayout.Legacy, AudioFeatureSets.Legacy), (legacy.Visual, legacy.Audio));
        var e = Assert.Throws<AffectFuseException>(() => Recognizer.ExtractionFor(model with { VisualFeatures = new("npy:beit", "0") }, null, "byo.ckpt"));
        Assert.Equal("byo.ckpt", e.File);
        Assert.Contains("'extract' cannot compute", e.Message);
    }

    [Fact]
    public void EvaluatingAModelOnFilesWithMoreGroupsReadsItsOwnColumns()
    {
        var all = AllGroupsVideo(3);
        var groups = VisualFeatureGroups.FaceApiExpression;
        var own = FeatureSetSelection.Select(all, groups, AudioFeatureGroups.Prosody);
        var model = new ModelOptions { VisualDim = own.VisualDim, AudioDim = own.AudioDim, VisualFeatures = own.Meta.VisualSet, AudioFeatures = own.Meta.AudioSet };
        var fitted = FeatureSetSelection.ForSets(all, model.VisualFeatures, model.AudioFeatures);
        Assert.Equal(own.Visual.ToSingles(), fitted.Visual.ToSingles());
        Assert.Equal(own.Audio.ToSingles(), fitted.Audio.ToSingles());
        Assert.Same(own, FeatureSetSelection.ForSets(own, model.VisualFeatures, model.AudioFeatures));
        // A file lacking the model's groups is left for the compatibility check to refuse.
        var mini = FeatureSetSelection.Select(all, VisualFeatureGroups.MiniXception, AudioFeatureGroups.Prosody);
        Assert.Same(mini, FeatureSetSelection.ForSets(mini, model.VisualFeatures, model.AudioFeatures));
        Assert.Throws<AffectFuseException>(() => FeatureCompatibility.Check(model, mini, "m.npz"));
    }

    internal static VideoFeatures AllGroupsVideo(int frames)
    {
        int dv = VisualFeatureLayout.Width(AllVisual), da = AudioFeatureSets.Width(AudioFeatureSets.All);
        var visual = new float[frames * dv];
        var audio = new float[frames * da];
        for (int i = 0; i < visual.Length; i++) visual[i] = i;
        for (int i = 0; i < audio.Length; i++) audio[i] = -i;
        return new VideoFeatures
        {
            VideoId = "v", Visual = FeatureMatrix.Of(visual, dv), VisualMask = Enumerable.Repeat(true, frames).ToArray(),
            Audio = FeatureMatrix.Of(audio, da), AudioMask = Enumerable.Repeat(true, frames).ToArray(),
            Timestamps = Enumerable.Range(0, frames).Select(t => t / 25.0).ToArray(),
            Meta = new FeatureMeta
            {
                Fps = 25, VisualFeatures = VisualFeatureLayout.Name(AllVisual), VisualVersion = VisualFeatureLayout.Version(AllVisual),
                AudioFeatures = AudioFeatureSets.Name(AudioFeatureSets.All), AudioVersion = AudioFeatureSets.Version(AudioFeatureSets.All),
            },
        };
    }
}
