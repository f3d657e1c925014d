using AffectFuse.Audio;
namespace AffectFuse.Benchmarks.Compose;

/// <summary>Builds a clip's sound track: its utterances at their planned frames, plus noise at the planned SNR.</summary>
public static class AudioTrackMixer
{
    /// <summary>Speech RMS assumed when a clip has no speech at all (peak-normalised EmoDB speech is near −20 dBFS),
    /// so a speechless clip's noise is as loud as it would be beside speech.</summary>
    public const double ReferenceSpeechRms = 0.1;

    /// <summary>The mono mix at <see cref="UtteranceCatalogue.SampleRate"/>, exactly as long as the video.
    /// SNR = speech power over the samples where an utterance plays, divided by the noise power.</summary>
    public static float[] Mix(ClipPlan plan, ComposeOptions options, UtteranceCatalogue voices)
    {
        int rate = voices.SampleRate;
        long length = (long)Math.Round((double)plan.Frames * rate / options.Fps);
        var mix = new float[length];
        double speechPower = 0;
        long speechSamples = 0;
        foreach (var u in plan.Segments.SelectMany(s => s.Utterances))
        {
            var (samples, _) = WavFile.Read(Path.Combine(voices.WavDir, u.File));
            long start = (long)Math.Round((double)u.StartFrame * rate / options.Fps);
            long end = Math.Min(length, (long)Math.Round((double)u.EndFrame * rate / options.Fps));
            // 20 ms ramps at both ends: an utterance cut short to fit its segment must not end in a click.
            long count = Math.Min(end - start, samples.Length), ramp = Math.Max(1, Math.Min(rate / 50, count / 2));
            for (long j = 0; j < count; j++)
                mix[start + j] += samples[j] * (float)Math.Min(1.0, Math.Min(j + 1, count - j) / (double)ramp);
            for (long i = start; i < end; i++)
                speechPower += mix[i] * (double)mix[i];
            speechSamples += end - start;
        }
        double speechRms = speechSamples > 0 && speechPower > 0 ? Math.Sqrt(speechPower / speechSamples) : ReferenceSpeechRms;
        double noiseRms = speechRms / Math.Pow(10, plan.SnrDb / 20);

        var noise = NoiseGenerator.Generate(options.Noise, (int)length, new Random(unchecked(plan.RenderSeed * 7919 + 17)));
        float peak = 0;
        for (long i = 0; i < length; i++)
        {
            mix[i] += (float)(noise[i] * noiseRms);
            peak = Math.Max(peak, Math.Abs(mix[i]));
        }
        // Scaling the whole mix keeps the SNR and avoids clipping in the encoder.
        if (peak > 0.95f)
            for (long i = 0; i < length; i++) mix[i] *= 0.95f / peak;
        return mix;
    }
}
