using AffectFuse.Model;
using AffectFuse.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public class FocalLossTests
{
    [Fact]
    public void GammaZeroUniformAlphaIsCrossEntropyIgnoringUnlabelled()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn([12, 8], generator: new Generator(3)) * 3;
        var target = torch.tensor(new long[] { 0, 1, -1, 7, 4, 4, -1, 2, 3, 5, 6, -1 });
        var focal = new FocalLoss(Enumerable.Repeat(1f, 8).ToArray(), 0).forward(logits, target);
        var ce = nn.functional.cross_entropy(logits, target, ignore_index: -1);
        Assert.True(Math.Abs(focal.item<float>() - ce.item<float>()) < 1e-6);
    }

    [Fact]
    public void WithLabelSmoothingGammaZeroUniformAlphaIsLibtorchsSmoothedCrossEntropy()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn([12, 8], generator: new Generator(5)) * 3;
        var target = torch.tensor(new long[] { 0, 1, -1, 7, 4, 4, -1, 2, 3, 5, 6, -1 });
        var focal = new FocalLoss(Enumerable.Repeat(1f, 8).ToArray(), 0, labelSmoothing: 0.1).forward(logits, target);
        var ce = nn.functional.cross_entropy(logits, target, ignore_index: -1, label_smoothing: 0.1);
        var plain = nn.functional.cross_entropy(logits, target, ignore_index: -1);
        Assert.True(Math.Abs(focal.item<float>() - ce.item<float>()) < 1e-5);
        Assert.True(Math.Abs(focal.item<float>() - plain.item<float>()) > 1e-3);
    }

    [Fact]
    public void PositiveGammaDownWeightsEasyExamples()
    {
        using var scope = torch.NewDisposeScope();
        var loss = new FocalLoss(Enumerable.Repeat(1f, 8).ToArray(), 2);
        var ce = new FocalLoss(Enumerable.Repeat(1f, 8).ToArray(), 0);
        var easy = torch.tensor(new float[] { 6, 0, 0, 0, 0, 0, 0, 0 }).view(1, 8);
        var hard = torch.tensor(new float[] { 0, 1, 0, 0, 0, 0, 0, 0 }).view(1, 8);
        var label = torch.tensor(new long[] { 0 });
        double easyRatio = loss.forward(easy, label).item<float>() / ce.forward(easy, label).item<float>();
        double hardRatio = loss.forward(hard, label).item<float>() / ce.forward(hard, label).item<float>();
        // Ratio equals (1 − p)^2: tiny for a confident correct frame, larger for a wrong one.
        double pEasy = Math.Exp(6) / (Math.Exp(6) + 7);
        Assert.InRange(easyRatio, Math.Pow(1 - pEasy, 2) * 0.999, Math.Pow(1 - pEasy, 2) * 1.001);
        Assert.True(easyRatio < 1e-3 && hardRatio > 0.5);
    }

    [Fact]
    public void NoLabelledFrameGivesZeroWithAValidGraph()
    {
        using var scope = torch.NewDisposeScope();
        var logits = torch.randn([5, 8], requires_grad: true);
        var loss = new FocalLoss(Enumerable.Repeat(1f, 8).ToArray(), 2).forward(logits, torch.full(5, -1L));
        Assert.Equal(0f, loss.item<float>());
        loss.backward();
        Assert.Equal(0f, logits.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void AlphaWeightsTheTrueClassAndSaturatedLogitsStayFinite()
    {
        using var scope = torch.NewDisposeScope();
        var alpha = new float[] { 2, 1, 1, 1, 1, 1, 1, 1 };
        var logits = torch.tensor(new float[] { 0, 200, 0, 0, 0, 0, 0, 0, 200, 0, 0, 0, 0, 0, 0, 0 }, requires_grad: true);
        var view = logits.view(2, 8);
        var target = torch.tensor(new long[] { 0, 0 });
        var loss = new FocalLoss(alpha, 2).forward(view, target);
        // Frame 0: p_0 ≈ 0, loss ≈ 2·200; frame 1: p_0 ≈ 1, loss ≈ 0; mean ≈ 200.
        Assert.InRange(loss.item<float>(), 199f, 201f);
        loss.backward();
        Assert.True(torch.isfinite(logits.grad!).all().item<bool>());
    }

    [Fact]
    public void AlphaFromCountsIsSoftenedInverseFrequencyWithMeanOne()
    {
        var counts = new long[] { 400, 100, 25, 0, 100, 100, 100, 100 };
        var alpha = FocalLoss.AlphaFromCounts(counts, ClassWeighting.InverseFrequency, 0.5);
        Assert.Equal(1f, alpha[3]);
        var present = alpha.Where((_, i) => counts[i] > 0).ToArray();
        Assert.InRange(present.Average(), 0.9999, 1.0001);
        // sqrt of inverse frequency: 4× rarer → 2× the weight.
        Assert.InRange(alpha[1] / alpha[0], 1.9999, 2.0001);
        Assert.InRange(alpha[2] / alpha[1], 1.9999, 2.0001);
        Assert.All(FocalLoss.AlphaFromCounts(counts, ClassWeighting.Uniform, 0.5), a => Assert.Equal(1f, a));
    }
}
