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
        var window = new Queue<float>();
        double squares = 0;
        long next = 0; // index of the next sample to read
        using var chunks = pcm.ReadChunks(AudioDecoder.SampleRate / 4).GetEnumerator();
        float[] chunk = [];
        int inChunk = 0;
        for (int t = 0; t < envelope.Length; t++)
        {
            long from = (long)Math.Max(0, (timestamps[t] - HalfWindowSeconds) * AudioDecoder.SampleRate);
            long to = (long)Math.Max(0, (timestamps[t] + HalfWindowSeconds) * AudioDecoder.SampleRate);
            for (; next < to; next++)
            {
                if (inChunk == chunk.Length)
                {
                    if (!chunks.MoveNext())
                        break;
                    (chunk, inChunk) = (chunks.Current, 0);
                }
                float sample = chunk[inChunk++];
                window.Enqueue(sample);
                squares += sample * sample;
            }
            // Samples before the window leave it; the queue then holds [from, next).
            while (window.Count > 0 && next - window.Count < from)
            {
                float old = window.Dequeue();
                squares -= old * old;
            }
            double rms = window.Count == 0 ? 0 : Math.Sqrt(Math.Max(0, squares) / window.Count);
            envelope[t] = MathF.Log(Math.Max((float)rms, Floor));
        }
        float floor = (envelope.Length == 0 ? 0 : envelope.Max()) - RangeLog;
        for (int t = 0; t < envelope.Length; t++)
            envelope[t] = Math.Max(envelope[t], floor);
        return envelope;
    }
}
