using AffectFuse.Decoding;

namespace AffectFuse.Audio;

/// <summary>The sound's loudness at each video frame: log RMS of the 16 kHz samples within ±20 ms of the frame's time, read
/// once through the track, so syllable-rate changes (4–8 Hz) survive that the features' pooling window smooths away.</summary>
internal static class LoudnessEnvelope
{
    /// <summary>Half the window each frame's RMS reads: ±20 ms, about a syllable's onset.</summary>
    internal const double HalfWindowSeconds = 0.02;

    /// <summary>Smallest RMS taken (digital silence has none to take the log of).</summary>
    internal const float Floor = 1e-5f;

    /// <summary>Quietest level kept, below the loudest frame: 40 dB (a factor of 100 in amplitude). Speech pauses are
    /// silent to the ear; without a floor the digital silence of a pause (log of almost 0) would outweigh every syllable.</summary>
    internal const float RangeLog = 4.6f;

    /// <summary>One value per timestamp (increasing): log RMS, floored <see cref="RangeLog"/> below the loudest frame.</summary>
    public static float[] At(AudioPcmReader pcm, IReadOnlyList<double> timestamps)
    {
        var envelope = new float[timestamps.Count];
        var window = new LiveLoudness();
        using var chunks = window.Tap(pcm.ReadChunks(AudioDecoder.SampleRate / 4)).GetEnumerator();
        for (int t = 0; t < envelope.Length; t++)
        {
            // Read on until the frame's window has passed (or the sound has ended).
            long end = (long)Math.Max(0, (timestamps[t] + HalfWindowSeconds) * AudioDecoder.SampleRate);
            while (window.Received < end && chunks.MoveNext())
            {
            }
            envelope[t] = window.LogRms(timestamps[t]);
        }
        float floor = (envelope.Length == 0 ? 0 : envelope.Max()) - RangeLog;
        for (int t = 0; t < envelope.Length; t++)
            envelope[t] = Math.Max(envelope[t], floor);
        return envelope;
    }
}
