using AffectFuse.Benchmarks;
using AffectFuse.Model;
using TorchSharp;
using Xunit;

namespace AffectFuse.Tests.Benchmarks;

public class ModelBenchmarkTests
{
    [Fact]
    public void LayerFlopsMatchAHandCount()
    {
        // B=1, T=2, d=4, ff=8: QKV 2·2·4·12 = 192, out 2·2·4·4 = 64, scores+AV 2·2·(1·2·2·4) = 64, FFN 2·2·2·4·8 = 256.
        Assert.Equal(192 + 64 + 64 + 256, ModelBenchmarkFlops.TransformerLayer(1, 2, 4, 8));
        var o = new ModelOptions { VisualDim = 3, AudioDim = 5, Width = 4, FeedForward = 8, SelfLayers = 1, CrossLayers = 1, AuxiliaryHeads = false };
        double layer = ModelBenchmarkFlops.TransformerLayer(1, 2, 4, 8);
        double expected = 2 * 2 * 3 * 4 + 2 * 2 * 5 * 4 + 2 * layer + 2 * layer + 2 * 2 * 10 * 2 + 2 * 2 * 4 * 8;
        Assert.Equal(expected, ModelBenchmarkFlops.Model(o, 1, 2));
    }

    [Fact]
    public void TinyRunReportsEveryContender()
    {
        var settings = new ModelBenchmarkSettings
        {
            Window = 8, Batch = 2, Seconds = 0.2, Repeats = 2,
            Model = new ModelOptions { VisualDim = 6, AudioDim = 4, Width = 16, Heads = 2, FeedForward = 16, SelfLayers = 1, CrossLayers = 1 },
        };
        var report = ModelBenchmark.Run(settings);
        Assert.Equal(4, report.Rows.Count);
        Assert.Equal(4, report.StockDepth);   // 2 branches × 1 self layer + 2 cross directions
        Assert.All(report.Rows, r => Assert.True(r.FramesPerSecond > 0 && r.AchievedGflops > 0));
        Assert.True(report.MatmulGflops > 0);
        Assert.True(report.PerFlopRatio("training") > 0);
    }
}
