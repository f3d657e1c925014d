using AffectFuse.Features.Visual;
using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public sealed class FacePriorTests
{
    private static ModelOptions Options(bool prior, VisualFeatureGroups groups = VisualFeatureGroups.FaceApiExpression) => ModelTestInputs.Small() with
    {
        VisualDim = VisualFeatureLayout.Width(groups), VisualFeatures = VisualFeatureLayout.Id(groups), FacePrior = prior,
    };

    [Fact]
    public void Face_frames_get_faceapis_log_probabilities_on_the_eight_classes_and_other_frames_nothing()
    {
        var (v, mv, a, ma) = ModelTestInputs.Batch(Options(false));
        var p = torch.softmax(torch.randn([4, 10, 7], generator: new Generator(5)), -1);
        v[TensorIndex.Ellipsis, TensorIndex.Slice(0, 7)] = p;
        v[2] = torch.full([10, v.shape[2]], float.NaN); // no face at all: garbage must not leak
        using var plain = new AffectFuseModel(Options(false));
        using var prior = new AffectFuseModel(Options(true));
        plain.eval();
        prior.eval();
        using var _ = torch.no_grad();
        // The same weights wherever both have them (not the same seed: other tests draw from the global generator too).
        var shared = plain.named_parameters().ToDictionary(n => n.name, n => n.parameter);
        foreach (var (name, parameter) in prior.named_parameters())
            if (shared.TryGetValue(name, out var source))
                parameter.copy_(source);

        var difference = (prior.forward(v, mv, a, ma) - plain.forward(v, mv, a, ma)).data<float>().ToArray();
        var probabilities = p.data<float>().ToArray();
        // face-api's order: neutral, happy, sad, angry, fearful, disgusted, surprised → Aff-Wild2 classes.
        int[] target = [0, 4, 5, 1, 3, 2, 6];
        bool[] present = mv.data<bool>().ToArray();
        for (int f = 0; f < 40; f++)
        {
            var expected = new double[8];
            if (present[f])
            {
                for (int k = 0; k < 7; k++)
                    expected[target[k]] = Math.Log(Math.Max(probabilities[f * 7 + k], 1e-4));
                expected[7] = -4;
            }
            for (int c = 0; c < 8; c++)
                Assert.Equal(expected[c], difference[f * 8 + c], 4);
        }
    }

    [Fact]
    public void Features_without_a_face_nets_probabilities_are_refused_naming_the_option()
    {
        var e = Assert.Throws<AffectFuseException>(() => new AffectFuseModel(Options(true, VisualFeatureGroups.Landmarks)));
        Assert.Equal("ModelOptions.FacePrior", e.Option);
    }

    [Fact]
    public void With_both_nets_the_second_starts_silent_and_both_weights_train()
    {
        var groups = VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression;
        using var model = new AffectFuseModel(Options(true, groups));
        var weights = model.named_parameters().Single(n => n.name == "face_prior.weight").parameter;
        Assert.Equal([1f, 0f], weights.data<float>().ToArray());
        var (v, mv, a, ma) = ModelTestInputs.Batch(Options(true, groups));
        model.forward(v.nan_to_num(), mv, a, ma).sum().backward();
        Assert.All(weights.grad!.data<float>().ToArray(), g => Assert.NotEqual(0f, g));
    }
}
