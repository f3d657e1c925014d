using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public class AffectFuseModelTests
{
    [Theory]
    [InlineData(FusionKind.CrossAttentionGated, ModalityUse.Both)]
    [InlineData(FusionKind.Concat, ModalityUse.Both)]
    [InlineData(FusionKind.CrossAttentionGated, ModalityUse.VisualOnly)]
    [InlineData(FusionKind.CrossAttentionGated, ModalityUse.AudioOnly)]
    public void ForwardAndBackwardAreFiniteWithMissingStreams(FusionKind fusion, ModalityUse use)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        var options = ModelTestInputs.Small() with { Fusion = fusion, Modalities = use };
        var model = new AffectFuseModel(options);
        model.train();
        var (v, mv, a, ma) = ModelTestInputs.Batch(options);
        var outputs = model.ForwardAll(v, mv, a, ma);
        Assert.Equal(new long[] { 4, 10, 8 }, outputs.Fused.shape);
        Assert.True(torch.isfinite(outputs.Fused).all().item<bool>());
        var loss = outputs.Fused.pow(2).mean();
        if (outputs.Visual is not null) loss = loss + outputs.Visual.pow(2).mean() + outputs.Audio!.pow(2).mean();
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
            Assert.True(p.grad is null || torch.isfinite(p.grad).all().item<bool>(), $"non-finite gradient in {name}");
        Assert.Equal(use == ModalityUse.Both, outputs.Visual is not null);
    }

    [Fact]
    public void WindowWithNoFaceAtAllHasFiniteGradientsEverywhere()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(2);
        var options = ModelTestInputs.Small();
        var model = new AffectFuseModel(options);
        model.train();
        var (v, _, a, ma) = ModelTestInputs.Batch(options);
        var noFace = torch.zeros([4, 10], dtype: ScalarType.Bool);
        var outputs = model.ForwardAll(v.fill_(float.NaN), noFace, a, ma);
        (outputs.Fused.logsumexp(-1).mean() + outputs.Visual!.mean()).backward();
        int withGrad = 0;
        foreach (var (name, p) in model.named_parameters())
        {
            if (p.grad is null) continue;
            withGrad++;
            Assert.True(torch.isfinite(p.grad).all().item<bool>(), $"non-finite gradient in {name}");
        }
        Assert.True(withGrad > 10);
    }

    [Fact]
    public void FullyMaskedStreamContributesNothing()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var options = ModelTestInputs.Small();
        var model = new AffectFuseModel(options);
        ModelTestInputs.Perturb(model);
        model.eval();
        var (v, mv, a, ma) = ModelTestInputs.Batch(options);
        using var _ = torch.no_grad();
        var before = model.forward(v, mv, a, ma);
        // Sample 2 has no face and sample 3 no audio: rewrite exactly those streams' features.
        var v2 = v.clone(); v2[2] = torch.randn(10, options.VisualDim) * 100;
        var a2 = a.clone(); a2[3] = torch.randn(10, options.AudioDim) * 100;
        var after = model.forward(v2, mv, a2, ma);
        Assert.Equal(0f, (before - after).abs().max().item<float>());
        // Control: changing a present stream does change the output (the comparison above can fail).
        var v3 = v.clone(); v3[0] = torch.randn(10, options.VisualDim);
        Assert.True((model.forward(v3, mv, a, ma)[0] - before[0]).abs().max().item<float>() > 1e-4f);
    }

    [Fact]
    public void GateFallsToAudioAtFramesWithoutFace()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(4);
        var fusion = new GatedFusion(4);
        var hv = torch.randn(1, 3, 4);
        var ha = torch.randn(1, 3, 4);
        var mv = torch.tensor(new[] { true, false, false }).view(1, 3);
        var ma = torch.tensor(new[] { false, true, false }).view(1, 3);
        var fused = fusion.forward(hv, mv, ha, ma);
        Assert.Equal(0f, (fused[0, 0] - hv[0, 0]).abs().max().item<float>());
        Assert.Equal(0f, (fused[0, 1] - ha[0, 1]).abs().max().item<float>());
        Assert.True(torch.isfinite(fused[0, 2]).all().item<bool>());
    }

    [Fact]
    public void SingleModalityModelIgnoresTheOtherStream()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(5);
        var options = ModelTestInputs.Small() with { Modalities = ModalityUse.VisualOnly };
        var model = new AffectFuseModel(options);
        model.eval();
        var (v, mv, a, ma) = ModelTestInputs.Batch(options);
        using var _ = torch.no_grad();
        var one = model.forward(v, mv, a, ma);
        var two = model.forward(v, mv, torch.randn(4, 10, 3), torch.zeros([4, 10], dtype: ScalarType.Bool));
        Assert.Equal(0f, (one - two).abs().max().item<float>());
        Assert.DoesNotContain(model.state_dict().Keys, k => k.StartsWith("audio"));
    }
}
