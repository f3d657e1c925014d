namespace AffectFuse.Audio;

/// <summary>Per-video streaming state of the audio features: reads PCM chunks lazily, as far as the next video frame's
/// pooling window needs, and keeps only the 10 ms descriptors and VAD probabilities that window still covers, so memory
/// does not grow with video length. Video frames must be asked for in non-decreasing timestamp order.</summary>
public sealed class AudioFeatureStream : IDisposable
{
    private const double EdgeToleranceSeconds = 0.005; // half a hop: rounding of container timestamps
    private const int Rate = FrameDescriptorAnalyzer.SampleRate;

    private readonly IEnumerator<float[]>? _pcm;
    private readonly double _half;
    private readonly FrameDescriptorAnalyzer _analyzer = new();
    private readonly SileroVadStream? _vad;
    private readonly FrameRing _descriptors = new(AudioFeatureLayout.DescriptorCount);
    private readonly FrameRing _speech = new(1);
    private readonly double[] _sum = new double[AudioFeatureLayout.DescriptorCount];
    private readonly double[] _sumSquares = new double[AudioFeatureLayout.DescriptorCount];
    private readonly Action<float> _onSpeech;
    private bool _ended;
    private double _lastTimestamp = double.NegativeInfinity;

    internal AudioFeatureStream(SileroVad vad, IEnumerable<float[]>? pcmChunks, AudioFeatureOptions options)
    {
        options.Validate();
        _half = options.HalfWindowSeconds;
        _onSpeech = p => _speech.Append()[0] = p;
        if (pcmChunks is not null)
        {
            _pcm = pcmChunks.GetEnumerator();
            _vad = vad.CreateStream();
        }
        _ended = _pcm is null;
    }

    /// <summary>False when the video has no audio track (every row is zeros with a false mask).</summary>
    public bool HasAudio => _pcm is not null;

    /// <summary>Samples decoded so far.</summary>
    public long SamplesRead => _analyzer.SamplesPushed;

    /// <summary>Writes the feature row of the video frame at <paramref name="timestamp"/> seconds into
    /// <paramref name="row"/> (<see cref="AudioFeatureLayout.Dim"/> values) and returns its audio mask: true when the
    /// timestamp lies within the audio track (silence included: quiet audio is present audio, and the VAD column says
    /// whether anyone speaks); false, with a zero row, when there is no audio track or the frame is beyond its end.</summary>
    public bool Next(double timestamp, Span<float> row)
    {
        if (row.Length != AudioFeatureLayout.Dim)
            throw new ArgumentException($"row must have {AudioFeatureLayout.Dim} values, got {row.Length}");
        if (!double.IsFinite(timestamp))
            throw new ArgumentException($"timestamp {timestamp} is not finite");
        if (timestamp < _lastTimestamp)
            throw new ArgumentException($"timestamps must not decrease: {timestamp} s after {_lastTimestamp} s");
        _lastTimestamp = timestamp;
        row.Clear();
        if (!HasAudio)
            return false;

        double lo = timestamp - _half, hi = timestamp + _half;
        ReadUntil(hi);

        // Frames whose centre lies in [lo, hi]; centre(i) = (160 i + 200) / 16000.
        long first = Math.Max(_descriptors.FirstIndex, (long)Math.Ceiling((lo * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop));
        long last = Math.Min(_descriptors.EndIndex - 1, (long)Math.Floor((hi * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop));
        // VAD chunks overlapping [lo, hi]; chunk j spans [512 j, 512 j + 512).
        long firstChunk = Math.Max(_speech.FirstIndex, (long)Math.Floor(lo * Rate / SileroVad.ChunkSamples));
        long lastChunk = Math.Min(_speech.EndIndex - 1, (long)Math.Ceiling(hi * Rate / SileroVad.ChunkSamples) - 1);

        // Later timestamps never reach back before lo.
        _descriptors.DropBefore(first);
        _speech.DropBefore(firstChunk);

        double duration = (double)_analyzer.SamplesPushed / Rate;
        bool within = timestamp >= -EdgeToleranceSeconds && (!_ended || timestamp <= duration + EdgeToleranceSeconds);
        if (!within || last < first)
            return false;

        Pool(first, last, row);
        double speech = 0;
        for (long j = firstChunk; j <= lastChunk; j++)
            speech += _speech.Row(j)[0];
        row[AudioFeatureLayout.VadColumn] = lastChunk >= firstChunk ? (float)(speech / (lastChunk - firstChunk + 1)) : 0f;
        return true;
    }

    private void Pool(long first, long last, Span<float> row)
    {
        const int d = AudioFeatureLayout.DescriptorCount;
        Array.Clear(_sum);
        Array.Clear(_sumSquares);
        int voiced = 0;
        double f0Sum = 0, f0Squares = 0;
        for (long i = first; i <= last; i++)
        {
            ReadOnlySpan<float> r = _descriptors.Row(i);
            for (int c = 0; c < d; c++)
            {
                double v = r[c];
                _sum[c] += v;
                _sumSquares[c] += v * v;
            }
            if (r[AudioFeatureLayout.Voiced] > 0.5f)
            {
                voiced++;
                double f = r[AudioFeatureLayout.LogF0];
                f0Sum += f;
                f0Squares += f * f;
            }
        }
        int n = (int)(last - first + 1);
        for (int c = 0; c < d; c++)
        {
            double mean = _sum[c] / n;
            row[c] = (float)mean;
            row[d + c] = (float)Math.Sqrt(Math.Max(0, _sumSquares[c] / n - mean * mean));
        }
        // Pitch statistics over voiced frames only (unvoiced frames carry no F0).
        if (voiced > 0)
        {
            double mean = f0Sum / voiced;
            row[AudioFeatureLayout.LogF0] = (float)mean;
            row[d + AudioFeatureLayout.LogF0] = (float)Math.Sqrt(Math.Max(0, f0Squares / voiced - mean * mean));
        }
        else
        {
            row[AudioFeatureLayout.LogF0] = 0f;
            row[d + AudioFeatureLayout.LogF0] = 0f;
        }
    }

    // Decodes until every descriptor frame and VAD chunk that can overlap [.., hiSeconds] exists, or the audio ends.
    private void ReadUntil(double hiSeconds)
    {
        long lastFrame = (long)Math.Floor((hiSeconds * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop);
        double hiSample = hiSeconds * Rate;
        while (!_ended && (_analyzer.FramesProduced <= lastFrame || _vad!.ChunksProduced * (double)SileroVad.ChunkSamples < hiSample))
        {
            if (_pcm!.MoveNext())
            {
                float[] chunk = _pcm.Current;
                _analyzer.Push(chunk, _descriptors);
                _vad!.Push(chunk, _onSpeech);
            }
            else
            {
                _analyzer.Finish(_descriptors);
                _vad!.Finish(_onSpeech);
                _ended = true;
            }
        }
    }

    /// <summary>Releases the PCM source (stops the decoder when it is a file).</summary>
    public void Dispose() => _pcm?.Dispose();
}
