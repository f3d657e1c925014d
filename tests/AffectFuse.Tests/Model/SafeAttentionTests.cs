using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public class SafeAttentionTests
{
    private static (Tensor q, Tensor k, Tensor v) Inputs(long b = 3, long h = 2, long t = 7, long dh = 8, bool grad = false)
    {
        var g = new Generator(42);
        return (torch.randn([b, h, t, dh], generator: g, requires_grad: grad),
                torch.randn([b, h, t, dh], generator: g, requires_grad: grad),
                torch.randn([b, h, t, dh], generator: g, requires_grad: grad));
    }

    [Fact]
    public void WithoutMaskMatchesLibtorchScaledDotProductAttention()
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Inputs();
        var ours = SafeAttention.Compute(q, k, v, (KeyPaddingMask?)null);
        var reference = nn.functional.scaled_dot_product_attention(q, k, v);
        Assert.True((ours - reference).abs().max().item<float>() < 1e-5f);

        // An all-valid mask takes the masked path and must agree as well.
        var allValid = torch.ones([3, 7], dtype: ScalarType.Bool);
        var masked = SafeAttention.Compute(q, k, v, allValid);
        Assert.True((masked - reference).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void PartialMaskEqualsAttentionOverValidKeysOnly()
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Inputs(b: 1);
        var mask = torch.tensor(new[] { true, false, true, true, false, false, true }).view(1, 7);
        var ours = SafeAttention.Compute(q, k, v, mask);
        var keep = torch.tensor(new long[] { 0, 2, 3, 6 });
        var reference = nn.functional.scaled_dot_product_attention(q, k.index_select(2, keep), v.index_select(2, keep));
        Assert.True((ours - reference).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void AllMaskedRowGivesExactZeroAndFiniteGradients()
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Inputs(grad: true);
        var mask = torch.ones([3, 7], dtype: ScalarType.Bool);
        mask[1] = torch.zeros(7, dtype: ScalarType.Bool);  // sample 1: no valid key at all
        mask[2, 3] = torch.tensor(false);
        var output = SafeAttention.Compute(q, k, v, mask);
        Assert.Equal(0f, output[1].abs().max().item<float>());
        Assert.True(output[0].abs().max().item<float>() > 0);
        output.pow(2).sum().backward();
        foreach (var t in new[] { q, k, v })
        {
            Assert.True(torch.isfinite(t.grad!).all().item<bool>());
        }
        Assert.Equal(0f, q.grad![1].abs().max().item<float>());
    }

    [Fact]
    public void UnsafeModeProducesNaNOnAllMaskedRow()
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = Inputs();
        var mask = torch.ones([3, 7], dtype: ScalarType.Bool);
        mask[1] = torch.zeros(7, dtype: ScalarType.Bool);
        var output = SafeAttention.Compute(q, k, v, mask, safe: false);
        Assert.True(torch.isnan(output[1]).all().item<bool>());
        Assert.True(torch.isfinite(output[0]).all().item<bool>());
        var safe = SafeAttention.Compute(q, k, v, mask, safe: true);
        Assert.True((safe[0] - output[0]).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void MultiheadSelfAttentionMatchesStockLayerWithSameWeights()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(3);
        var ours = new SafeMultiheadAttention(16, 4, 0.0, safe: true);
        ours.eval();
        var stock = nn.MultiheadAttention(16, 4);
        stock.eval();
        using (torch.no_grad())
        {
            var theirs = stock.state_dict();
            foreach (var (name, p) in ours.state_dict())
                theirs[name].copy_(p);
        }
        var x = torch.randn(2, 5, 16);
        var mask = torch.tensor(new[] { true, true, true, false, true, true, false, true, true, true }).view(2, 5);
        var y = ours.forward(x, x, new KeyPaddingMask(mask));
        // Stock layer: sequence-first, key_padding_mask true = ignore.
        var xs = x.transpose(0, 1);
        var (ys, _) = stock.forward(xs, xs, xs, mask.logical_not(), false, null);
        Assert.True((y - ys.transpose(0, 1)).abs().max().item<float>() < 1e-5f);
    }
}
