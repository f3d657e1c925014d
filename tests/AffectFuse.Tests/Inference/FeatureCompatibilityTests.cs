using Xunit;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Tests.Inference;

public class FeatureCompatibilityTests
{
    private static VideoFeatures Features(int dv, int da) => new()
    {
        VideoId = "v", Visual = FeatureMatrix.Zeros(2, dv), VisualMask = new bool[2], Audio = FeatureMatrix.Zeros(2, da), AudioMask = new bool[2],
        Timestamps = [0, 0.04],
    };

    [Fact]
    public void WidthMismatchNamesTheFileAndBothWidths()
    {
        var model = new ModelOptions { VisualDim = 16, AudioDim = 8 };
        FeatureCompatibility.Check(model, Features(16, 8), "v.npz");
        var ex = Assert.Throws<AffectFuseException>(() => FeatureCompatibility.Check(model, Features(15, 8), "feats/v.npz"));
        Assert.Equal("feats/v.npz: visual features are 15 wide but the model expects 16", ex.Message);
        ex = Assert.Throws<AffectFuseException>(() => FeatureCompatibility.Check(model, Features(16, 9), "vis/v.npy", "aud/v.npy"));
        Assert.Equal("aud/v.npy", ex.File);
        Assert.Contains("9 wide", ex.Message);
    }
}
