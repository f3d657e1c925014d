using AffectFuse.Features.Visual;
using AffectFuse.Features.Visual.MediaPipe;
using Xunit;

namespace AffectFuse.Tests.Features.Visual.MediaPipe;

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
}
