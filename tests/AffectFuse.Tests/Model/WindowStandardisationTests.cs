using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public sealed class WindowStandardisationTests
{
    [Fact]
    public void Present_frames_get_mean_zero_and_unit_deviation_per_window_and_absent_frames_zero()
    {
        var x = torch.randn([2, 12, 3], generator: new Generator(4)) * 5 + 7;
        var present = torch.ones([2, 12], dtype: ScalarType.Bool);
        present[1, TensorIndex.Slice(0, 5)] = torch.tensor(false);
        x[1, TensorIndex.Slice(0, 5)] = torch.full([5, 3], float.NaN);

        var y = WindowStandardisation.Apply(x, present);

        for (int b = 0; b < 2; b++)
        {
            var rows = y[b][present[b]];
            Assert.All(rows.mean([0]).data<float>().ToArray(), m => Assert.Equal(0, m, 4));
            Assert.All(rows.std(0, unbiased: false).data<float>().ToArray(), s => Assert.Equal(1, s, 3));
        }
        Assert.All(y[1, TensorIndex.Slice(0, 5)].data<float>().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_model_with_it_ignores_a_voices_level()
    {
        var options = ModelTestInputs.Small() with { AudioWindowNorm = true };
        using var model = new AffectFuseModel(options);
        model.eval();
        var (v, mv, a, ma) = ModelTestInputs.Batch(options);
        using var _ = torch.no_grad();
        var quiet = model.forward(v, mv, a, ma);
        var loud = model.forward(v, mv, a * 10 + 3, ma);
        Assert.True(torch.allclose(quiet.nan_to_num(), loud.nan_to_num(), rtol: 1e-4, atol: 1e-4));
    }
}
