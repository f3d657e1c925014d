using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Setup;

/// <summary>Proves the (patched where needed) libtorch native libraries load and train: a Transformer layer's forward and backward pass.</summary>
public class NativeTorchTests
{
    [Fact]
    public void TransformerLayerForwardAndBackwardRun()
    {
        manual_seed(3);
        using var layer = nn.TransformerEncoderLayer(16, 2, 32, 0.0);
        using var head = nn.Linear(16, 1);
        var x = randn(5, 2, 16);
        var loss = head.call(layer.call(x)).pow(2).mean();
        loss.backward();
        var grads = layer.parameters().Concat(head.parameters()).Select(p => p.grad).ToList();
        Assert.All(grads, g => Assert.NotNull(g));
        Assert.All(grads, g => Assert.True(g!.isfinite().all().item<bool>()));
        Assert.True(grads.Sum(g => g!.abs().sum().item<float>()) > 0, "backward produced all-zero gradients");
    }
}
