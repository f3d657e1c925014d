using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public class ModalityDropoutTests
{
    [Fact]
    public void EvalModeIsIdentity()
    {
        using var scope = torch.NewDisposeScope();
        var dropout = new ModalityDropout(new ModalityDropoutOptions { VisualProbability = 0.5, AudioProbability = 0.5, OcclusionProbability = 1 });
        dropout.eval();
        var mv = torch.ones([8, 20], dtype: ScalarType.Bool);
        var ma = torch.ones([8, 20], dtype: ScalarType.Bool);
        var (v, a) = dropout.forward(mv, ma);
        Assert.True(v.all().item<bool>() && a.all().item<bool>());
    }

    [Fact]
    public void TrainingDropsStreamsAtTheirRatesAndNeverBoth()
    {
        using var scope = torch.NewDisposeScope();
        var options = new ModalityDropoutOptions { VisualProbability = 0.3, AudioProbability = 0.2, OcclusionProbability = 0 };
        var dropout = new ModalityDropout(options, new Generator(5));
        dropout.train();
        const int n = 4000;
        var mv = torch.ones([n, 16], dtype: ScalarType.Bool);
        var ma = torch.ones([n, 16], dtype: ScalarType.Bool);
        var (v, a) = dropout.forward(mv, ma);
        var visualGone = v.any(1).logical_not();
        var audioGone = a.any(1).logical_not();
        Assert.False(visualGone.logical_and(audioGone).any().item<bool>());
        // Whole streams only: a sample keeps all or none of its frames when occlusion is off.
        Assert.True(v.all(1).logical_or(visualGone).all().item<bool>());
        double pv = visualGone.to(ScalarType.Float64).mean().item<double>();
        double pa = audioGone.to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(pv, 0.27, 0.33);   // ± ~4 standard errors
        Assert.InRange(pa, 0.175, 0.225);

        // Same seed, same drops.
        var again = new ModalityDropout(options, new Generator(5));
        again.train();
        var (v2, _) = again.forward(mv, ma);
        Assert.True((v2 == v).all().item<bool>());
    }

    [Fact]
    public void NeverDropsTheOnlyStreamLeft()
    {
        using var scope = torch.NewDisposeScope();
        var dropout = new ModalityDropout(new ModalityDropoutOptions { VisualProbability = 1.0, AudioProbability = 0, OcclusionProbability = 0 }, new Generator(1));
        dropout.train();
        var mv = torch.ones([4, 8], dtype: ScalarType.Bool);
        var ma = torch.ones([4, 8], dtype: ScalarType.Bool);
        ma[1] = torch.zeros(8, dtype: ScalarType.Bool);
        var (v, _) = dropout.forward(mv, ma);
        Assert.False(v[0].any().item<bool>());
        Assert.True(v[1].all().item<bool>());
    }

    [Fact]
    public void OcclusionMasksOneContiguousSpanOfFaceFramesOnly()
    {
        using var scope = torch.NewDisposeScope();
        var dropout = new ModalityDropout(new ModalityDropoutOptions { VisualProbability = 0, AudioProbability = 0, OcclusionProbability = 1, OcclusionMaxFraction = 0.25 }, new Generator(9));
        dropout.train();
        var mv = torch.ones([200, 40], dtype: ScalarType.Bool);
        var ma = torch.ones([200, 40], dtype: ScalarType.Bool);
        var (v, a) = dropout.forward(mv, ma);
        Assert.True(a.all().item<bool>());
        var rows = v.to(ScalarType.Int32).data<int>().ToArray();
        var lengths = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            var row = rows.AsSpan(i * 40, 40).ToArray();
            int first = Array.IndexOf(row, 0), last = Array.LastIndexOf(row, 0);
            Assert.True(first >= 0);
            int length = last - first + 1;
            Assert.All(row[first..(last + 1)], x => Assert.Equal(0, x));   // contiguous
            Assert.InRange(length, 1, 10);
            lengths.Add(length);
        }
        Assert.True(lengths.Count > 5);
    }
}
