using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Faces.Nets.MediaPipe;
using AffectFuse.Inference;
using AffectFuse.Reporting;
using AffectFuse.Tests.Features.Sets;
using Xunit;
using AffectFuse.Features;

namespace AffectFuse.Tests.Faces.Nets.MediaPipe;

public sealed class BlendshapeGroupTests
{
    [Fact]
    public void TheGroupIsFiftyTwoBsColumnsLastInTheRowWhateverTheOrderAskedFor()
    {
        Assert.Equal(52, VisualFeatureLayout.Width(VisualFeatureGroups.Blendshapes));
        var columns = VisualFeatureLayout.Columns(VisualFeatureGroups.Blendshapes);
        Assert.Equal(["bs_neutral", "bs_browDownLeft", "bs_browDownRight", "bs_browInnerUp"], columns.Take(4));
        Assert.Equal(["bs_mouthSmileLeft", "bs_mouthSmileRight"], columns.Where(c => c.StartsWith("bs_mouthSmile")));
        Assert.Equal("bs_noseSneerRight", columns[^1]);
        Assert.All(columns, c => Assert.Matches("^bs_[a-z][A-Za-z]+$", c));

        Assert.Equal(VisualFeatureGroups.Blendshapes, VisualFeatureLayout.ParseOption("blendshapes"));
        Assert.True(VisualFeatureLayout.All.HasFlag(VisualFeatureGroups.Blendshapes));
        Assert.Equal(263 + 263 + 24, VisualFeatureLayout.Offset(VisualFeatureLayout.All, VisualFeatureGroups.Blendshapes));
        var two = VisualFeatureLayout.ParseOption("blendshapes, minixception");
        Assert.Equal("human-emotion-minixception+mediapipe-blendshapes", VisualFeatureLayout.Name(two));
        Assert.Equal($"3.3.6+{BlendshapeColumns.FeatureVersion}", VisualFeatureLayout.Version(two));
        Assert.Equal(263, VisualFeatureLayout.Offset(two, VisualFeatureGroups.Blendshapes));
        Assert.Equal(two, VisualFeatureLayout.Parse(VisualFeatureLayout.Name(two)));
        Assert.Equal("minixception,blendshapes", VisualFeatureLayout.ToOption(two));
        // Not in the shipped model's set: the ablation decides that.
        Assert.False(VisualFeatureLayout.Default.HasFlag(VisualFeatureGroups.Blendshapes));
    }

    [Fact]
    public void CuesCarryAllFiftyTwoScoresAndTheReportAFewSidesAveraged()
    {
        var video = FeatureSetSelection.Select(FeatureSetTests.AllGroupsVideo(2), VisualFeatureGroups.MiniXception | VisualFeatureGroups.Blendshapes, null);
        var cues = FaceCues.From(video)!;
        Assert.Equal(BlendshapeColumns.Columns, cues.Names);
        int smileLeft = cues.Names.ToList().IndexOf("bs_mouthSmileLeft");
        Assert.Equal(video.Visual[1, 263 + smileLeft], cues.Values[52 + smileLeft]);

        // Scores in 0..1 so that the bars mean something: frame 0 smiles 0.2 / 0.4, frame 1 0.6 / 0.8 → 0.5.
        var values = new float[2 * 52];
        int smileRight = cues.Names.ToList().IndexOf("bs_mouthSmileRight");
        (values[smileLeft], values[smileRight], values[52 + smileLeft], values[52 + smileRight]) = (0.2f, 0.4f, 0.6f, 0.8f);
        var prediction = VideoPrediction.FromProbabilities(video, new float[2 * 8]) with { Cues = cues with { Values = values } };
        string html = HtmlReport.ForPrediction(prediction, new ReportProvenance());
        Assert.Contains("What the face nets saw", html);
        foreach (var (heading, _) in FaceCueTable.Blendshapes)
            Assert.Contains($">blendshape {heading}<", html);
        Assert.Contains(">0.5000<", html);
        Assert.DoesNotContain("bs_", html);
    }
}
