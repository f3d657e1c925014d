using AffectFuse.Audio;
using AffectFuse.Features.Sets;
using AffectFuse.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AffectFuse.Tests.Model;

public sealed class WindowLevelReferenceTests
{
    private static readonly int Energy = AudioFeatureLayout.LogEnergy;
    private static readonly int Pitch = AudioFeatureLayout.LogF0;

    private static ModelOptions WithLevelReference(AudioFeatureGroups groups) => ModelTestInputs.Small() with
    {
        AudioDim = AudioFeatureLayout.DimOf(groups),
        AudioFeatures = AudioFeatureSets.Id(groups),
        AudioLevelReference = true,
    };

    /// <summary>The features of the same sound recorded <paramref name="lnGain"/> nepers louder: log energy up by the
    /// gain, every log-mel band (log power) up by twice it; spreads, pitch and shape unchanged.</summary>
    private static Tensor Louder(Tensor audio, double lnGain)
    {
        var louder = audio.clone();
        louder[TensorIndex.Ellipsis, TensorIndex.Slice(0, AudioFeatureLayout.MelBands)] += 2 * lnGain;
        louder[TensorIndex.Ellipsis, Energy] += lnGain;
        return louder;
    }

    [Fact]
    public void A_model_with_it_gives_the_same_output_for_a_recording_made_louder_or_quieter()
    {
        var options = WithLevelReference(AudioFeatureSets.Default);
        using var model = new AffectFuseModel(options);
        ModelTestInputs.Perturb(model);
        model.eval();
        var (v, mv, a, ma) = ModelTestInputs.Batch(options);
        using var _ = torch.no_grad();
        var asRecorded = model.forward(v, mv, a, ma).nan_to_num();
        foreach (double gain in new[] { -2.3, 1.15, 4.6 }) // −20, +10, +40 dB
            Assert.True(torch.allclose(asRecorded, model.forward(v, mv, Louder(a, gain), ma).nan_to_num(), rtol: 1e-4, atol: 1e-4));
        // Pitch is not a level: moving it still moves the output.
        var higher = a.clone();
        higher[TensorIndex.Ellipsis, Pitch] += 0.5;
        Assert.False(torch.allclose(asRecorded, model.forward(v, mv, higher, ma).nan_to_num(), rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void The_loudest_present_frame_is_the_reference_and_a_window_without_sound_is_left_alone()
    {
        var groups = AudioFeatureGroups.Prosody;
        var reference = new WindowLevelReference(AudioFeatureSets.Id(groups));
        var a = torch.zeros([2, 4, AudioFeatureLayout.DimOf(groups)]);
        a[0, TensorIndex.Colon, Energy] = torch.tensor(new[] { -5f, -3f, 9f, -4f });
        a[0, TensorIndex.Colon, 0] = torch.tensor(new[] { 1f, 2f, 3f, 4f });
        a[1, TensorIndex.Colon, Energy] = torch.tensor(new[] { 7f, 7f, 7f, 7f });
        var present = torch.tensor(new[] { true, true, false, true, false, false, false, false }).reshape(2, 4);

        var y = reference.Apply(a, present);

        // Frame 2 is absent: its 9 does not count; the loudest present frame is −3.
        Assert.Equal(new[] { -2f, 0f, 12f, -1f }, y[0, TensorIndex.Colon, Energy].data<float>().ToArray());
        Assert.Equal(new[] { 7f, 8f, 9f, 10f }, y[0, TensorIndex.Colon, 0].data<float>().ToArray());
        Assert.Equal(0f, y[0, TensorIndex.Colon, Pitch].abs().max().item<float>());
        Assert.True(a[1].equal(y[1]).all().item<bool>());
    }

    [Fact]
    public void Without_the_prosody_group_it_is_refused_naming_the_option()
    {
        var error = Assert.Throws<AffectFuseException>(() => new AffectFuseModel(WithLevelReference(AudioFeatureGroups.SpeechEmbedding)));
        Assert.Equal("ModelOptions.AudioLevelReference", error.Option);
    }
}
