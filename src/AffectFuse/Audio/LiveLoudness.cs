using AffectFuse.Decoding;

namespace AffectFuse.Audio;

/// <summary>The loudness window of <see cref="LoudnessEnvelope"/> over a stream of samples, for files and live streams
/// alike: the 16 kHz samples are tapped as they pass (to the audio features, live), and a frame's loudness reads those
/// within ±20 ms of its time that have arrived. Live (<see cref="At"/>) it is floored <see cref="LoudnessEnvelope.RangeLog"/>
/// below the loudest frame so far; a file's floor is set by its loudest frame overall, which a stream does not know yet.
/// Memory: the last second of samples.</summary>
internal sealed class LiveLoudness
{
    private readonly object _gate = new();
    private readonly float[] _recent = new float[AudioDecoder.SampleRate];
    private long _received;
    private float _loudest = float.NegativeInfinity;

    /// <summary>The chunks, unchanged, each kept here as it passes.</summary>
    public IEnumerable<float[]> Tap(IEnumerable<float[]> chunks)
    {
        foreach (var chunk in chunks)
        {
            Add(chunk);
            yield return chunk;
        }
    }

    private void Add(float[] chunk)
    {
        lock (_gate)
        {
            // Only the last second can ever be read; a longer chunk's start is skipped, its samples still counted.
            int skip = Math.Max(0, chunk.Length - _recent.Length);
            _received += skip;
            foreach (float sample in chunk.AsSpan(skip))
                _recent[_received++ % _recent.Length] = sample;
        }
    }

    /// <summary>Samples that have passed so far.</summary>
    public long Received
    {
        get
        {
            lock (_gate)
                return _received;
        }
    }

    /// <summary>Log RMS around <paramref name="seconds"/> (the stream's sound clock), floored 40 dB below the loudest so
    /// far; call with increasing times.</summary>
    public float At(double seconds)
    {
        lock (_gate)
        {
            float value = LogRms(seconds);
            _loudest = Math.Max(_loudest, value);
            return Math.Max(value, _loudest - LoudnessEnvelope.RangeLog);
        }
    }

    /// <summary>Log RMS of the samples within ±20 ms of <paramref name="seconds"/> that have passed (no floor but digital
    /// silence's): a file's envelope floors it by its loudest frame once all are known.</summary>
    public float LogRms(double seconds)
    {
        lock (_gate)
        {
            long from = Math.Max((long)Math.Max(0, (seconds - LoudnessEnvelope.HalfWindowSeconds) * AudioDecoder.SampleRate), _received - _recent.Length);
            long to = Math.Min((long)Math.Max(0, (seconds + LoudnessEnvelope.HalfWindowSeconds) * AudioDecoder.SampleRate), _received);
            double squares = 0;
            for (long i = from; i < to; i++)
                squares += _recent[i % _recent.Length] * _recent[i % _recent.Length];
            return MathF.Log(Math.Max(to > from ? (float)Math.Sqrt(squares / (to - from)) : 0f, LoudnessEnvelope.Floor));
        }
    }
}
