using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Measures each window's sound against its own loudest frame: the largest log energy over the window's present
/// frames is subtracted from the log-energy column, and twice it (the log-mel bands are log power) from the 64 log-mel
/// columns. A recording's level and a microphone's gain then no longer shift the inputs, while loudness relative to the
/// loudest moment of the window (shouting against speaking, speech against pauses) stays. Why: the corpora differ by
/// about 19 dB in recording level (EmoDB's speech frames at ln RMS −2.7 on average, RAVDESS's at −4.9), so a voice
/// branch that reads absolute level calls one corpus's every utterance loud. Unlike <see cref="WindowStandardisation"/>
/// it leaves pitch, spectral shape, the frame-to-frame spread and the speech embedding as they are.</summary>
internal sealed class WindowLevelReference
{
    private readonly long _energyColumn;
    private readonly float[] _shift;

    /// <summary>For audio features laid out as <paramref name="audioSet"/>, which must hold the prosody group.</summary>
    public WindowLevelReference(FeatureSetId? audioSet) => (_energyColumn, _shift) = Layout(audioSet);

    /// <summary>Where <paramref name="audioSet"/> keeps its log energy, and how much of the reference each column loses
    /// (1 for the log energy, 2 for each log-mel band, 0 elsewhere).</summary>
    public static (int EnergyColumn, float[] Shift) Layout(FeatureSetId? audioSet)
    {
        var groups = audioSet is null ? null : AudioFeatureSets.Parse(audioSet.Name);
        if (groups is not { } g || !g.HasFlag(AudioFeatureGroups.Prosody))
            throw OptionCheck.Fail("ModelOptions.AudioLevelReference", "needs the prosody group's log energy and log-mel columns in the audio features; " +
                $"the model's audio set is {audioSet?.ToString() ?? "unnamed"}");
        var names = AudioFeatureLayout.ColumnNamesOf(g);
        var shift = names.Select(n => n.StartsWith("logmel_", StringComparison.Ordinal) && n.EndsWith("_mean", StringComparison.Ordinal) ? 2f
            : n == "log_energy_mean" ? 1f : 0f).ToArray();
        return (names.ToList().IndexOf("log_energy_mean"), shift);
    }

    /// <summary>x [B,T,Da] (raw features), present [B,T] bool → x with the level columns referred to each window's
    /// loudest present frame; a window with no present frame is left as it is.</summary>
    public Tensor Apply(Tensor x, Tensor present)
    {
        var energy = x.select(-1, _energyColumn).masked_fill(present.logical_not(), ScalarCache.Of(double.NegativeInfinity));
        var loudest = energy.amax([1], keepdim: true);
        var reference = loudest.masked_fill(loudest.isinf(), ScalarCache.Of(0.0)).unsqueeze(-1);
        using var shift = tensor(_shift, dtype: x.dtype, device: x.device);
        return x.sub(reference * shift);
    }
}
