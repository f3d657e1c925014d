using System.Globalization;
using AffectFuse.Benchmarks.Compose;
using AffectFuse.Decoding;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>A clip's sound at 16 kHz: the utterance at its gain plus pink noise at its SNR, or room noise alone.</summary>
public static class SoundMaker
{
    /// <summary>Sample rate of every sound this writes.</summary>
    public const int SampleRate = AudioDecoder.SampleRate;

    /// <summary>The utterance of <paramref name="voicePath"/> degraded as <paramref name="sound"/> says.</summary>
    public static float[] Voice(string voicePath, SoundDegradation sound, int seed)
    {
        var speech = new AudioDecoder().DecodeAll(voicePath, SpeedFilter(sound.Speed))
            ?? throw new AffectFuseException(voicePath, "has no audio track");
        float gain = (float)Math.Pow(10, sound.GainDb / 20);
        for (int i = 0; i < speech.Length; i++) speech[i] *= gain;
        if (sound.SnrDb is { } snr)
            AddNoise(speech, Rms(speech) / Math.Pow(10, snr / 20), seed);
        return LimitPeak(speech);
    }

    /// <summary><paramref name="samples"/> of room noise <see cref="SoundDegradation.SnrDb"/> dB below the reference
    /// speech level.</summary>
    public static float[] Room(int samples, SoundDegradation sound, int seed)
    {
        var room = new float[samples];
        AddNoise(room, AudioTrackMixer.ReferenceSpeechRms / Math.Pow(10, (sound.SnrDb ?? 40) / 20), seed);
        return room;
    }

    // FFmpeg's resampler plays the utterance faster or slower (asetrate relabels the rate, aresample brings it back to
    // 16 kHz with its band-limited filter), so no resampler is written here; null at speed 1.
    private static string? SpeedFilter(double speed)
    {
        if (speed == 1)
            return null;
        string rate = SampleRate.ToString(CultureInfo.InvariantCulture);
        string faster = (SampleRate * speed).ToString("0.###", CultureInfo.InvariantCulture);
        return $"aresample={rate},asetrate={faster},aresample={rate}";
    }

    private static void AddNoise(float[] signal, double rms, int seed)
    {
        var noise = NoiseGenerator.Generate(NoiseKind.Pink, signal.Length, new Random(seed));
        for (int i = 0; i < signal.Length; i++) signal[i] += (float)(noise[i] * rms);
    }

    private static double Rms(float[] x)
    {
        double power = 0;
        foreach (float v in x) power += v * (double)v;
        return x.Length == 0 ? 0 : Math.Sqrt(power / x.Length);
    }

    // A louder voice than the recording allows is scaled back as a recorder's gain control would, not clipped.
    private static float[] LimitPeak(float[] x)
    {
        float peak = 0;
        foreach (float v in x) peak = Math.Max(peak, Math.Abs(v));
        if (peak > 0.98f)
            for (int i = 0; i < x.Length; i++) x[i] *= 0.98f / peak;
        return x;
    }
}
