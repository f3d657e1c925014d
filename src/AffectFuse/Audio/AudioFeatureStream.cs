using AffectFuse.IO;
using E = AffectFuse.Audio.SpeechEmbedding;

namespace AffectFuse.Audio;

/// <summary>Per-video streaming state of the audio features: reads PCM chunks lazily, as far as the next video frame's
/// pooling window needs, and keeps only the 10 ms descriptors, VAD probabilities and speech embeddings that window
/// still covers, so memory does not grow with video length. Video frames must be asked for in non-decreasing
/// timestamp order. With the embedding group on, reading runs up to about 1.3 s past the window's end: the first
/// embedding centred past the window (it settles the nearest-embedding case) needs 0.39 s of audio after its centre,
/// and the embedding stream computes mel frames in 0.8 s blocks.</summary>
/// <remarks>A live stream cannot wait that long. With a finite horizon H a row reads only the sound up to its
/// timestamp + H: the descriptors, VAD chunks and embeddings whose samples have all arrived by then (the embedding stream
/// then runs 80-ms blocks), pooled as in files. Which ones count follows from their sample spans alone, never from
/// how the sound was chunked, so the result is reproducible; once H reaches <see cref="FullHorizonSeconds"/> every row
/// equals the file's.</remarks>
internal sealed class AudioFeatureStream : IDisposable
{
    private const double EdgeToleranceSeconds = 0.005; // half a hop: rounding of container timestamps
    private const int Rate = FrameDescriptorAnalyzer.SampleRate;

    private readonly IEnumerator<float[]>? _pcm;
    private readonly double _half;
    private readonly bool _prosody;
    private readonly int _dim;
    private readonly int _embeddingOffset;
    private readonly FrameDescriptorAnalyzer _analyzer = new();
    private readonly SileroVadStream? _vad;
    private readonly SpeechEmbeddingStream? _embedder;
    private readonly FrameRing _descriptors = new(AudioFeatureLayout.DescriptorCount);
    private readonly FrameRing _speech = new(1);
    private readonly FrameRing _embeddings = new(E.Dim, 16);
    private readonly double[] _sum = new double[AudioFeatureLayout.DescriptorCount];
    private readonly double[] _sumSquares = new double[AudioFeatureLayout.DescriptorCount];
    private readonly double[] _embeddingSum = new double[E.Dim];
    private readonly double _horizon;
    private readonly Action<float> _onSpeech;
    private readonly SpeechEmbeddingHandler _onEmbedding;
    private readonly StageProfile? _profile;
    private long _samplesRead;
    private bool _ended;
    private double _lastTimestamp = double.NegativeInfinity;

    internal AudioFeatureStream(SileroVad? vad, E? embedding, IEnumerable<float[]>? pcmChunks, AudioFeatureOptions options,
        double horizonSeconds = double.PositiveInfinity, StageProfile? profile = null)
    {
        options.Validate();
        _profile = profile;
        if (!(horizonSeconds >= 0))
            throw new ArgumentOutOfRangeException(nameof(horizonSeconds), horizonSeconds, "the horizon must be at least 0 s");
        _horizon = horizonSeconds;
        _half = options.HalfWindowSeconds;
        _prosody = options.Groups.HasFlag(AudioFeatureGroups.Prosody);
        bool embed = options.Groups.HasFlag(AudioFeatureGroups.SpeechEmbedding);
        if (_prosody && vad is null)
            throw new ArgumentException("the prosody group needs the Silero VAD model");
        if (embed && embedding is null)
            throw new ArgumentException("the speech-embedding group needs the speech-embedding models");
        _dim = AudioFeatureLayout.DimOf(options.Groups);
        _embeddingOffset = embed ? AudioFeatureLayout.SpeechEmbeddingOffset(options.Groups) : -1;
        _onSpeech = p => _speech.Append()[0] = p;
        _onEmbedding = (_, e) => e.CopyTo(_embeddings.Append());
        if (pcmChunks is not null)
        {
            _pcm = pcmChunks.GetEnumerator();
            _vad = _prosody ? vad!.CreateStream() : null;
            _embedder = embed ? embedding!.CreateStream(double.IsFinite(horizonSeconds) ? SpeechEmbeddingStream.LiveAdvance : SpeechEmbeddingStream.FileAdvance) : null;
        }
        _ended = _pcm is null;
    }

    /// <summary>Width of the rows this stream writes (<see cref="AudioFeatureLayout.DimOf"/> of the options' groups).</summary>
    public int Dim => _dim;

    /// <summary>False when the video has no audio track (every row is zeros with a false mask).</summary>
    public bool HasAudio => _pcm is not null;

    /// <summary>The sound after a frame's time that a file's row can read (with <paramref name="options"/>' half-window),
    /// counted to when a live stream has computed it: a horizon this long or longer gives the file's features. Past the
    /// window's end: 0.51 s for the nearest embedding after it (0.08 s stride, half its 0.78-s span, 0.04 s until its
    /// 80-ms mel block runs), but 0.82 s from the stream's start for the first frames, whose nearest is embedding 0;
    /// 0.032 s for a VAD chunk, the pitch segment's reach for a descriptor frame.</summary>
    public static double FullHorizonSeconds(AudioFeatureOptions options)
    {
        double prosody = options.Groups.HasFlag(AudioFeatureGroups.Prosody)
            ? options.HalfWindowSeconds + Math.Max(SileroVad.ChunkSamples, new FrameDescriptorAnalyzer().ReachSamples - FrameDescriptorAnalyzer.FrameLength / 2.0) / Rate
            : 0;
        double embedding = 0;
        if (options.Groups.HasFlag(AudioFeatureGroups.SpeechEmbedding))
        {
            long firstDue = SpeechEmbeddingStream.SamplesBefore(0, SpeechEmbeddingStream.LiveAdvance);
            double dueAfterCentre = (firstDue - E.WindowSamples / 2.0) / Rate; // the same for every embedding at the live advance
            embedding = Math.Max(options.HalfWindowSeconds + E.StrideSamples / (double)Rate + dueAfterCentre, firstDue / (double)Rate);
        }
        return Math.Max(embedding, prosody) + 2 * EdgeToleranceSeconds;
    }

    /// <summary>Samples decoded so far.</summary>
    public long SamplesRead => _samplesRead;

    /// <summary>Writes the feature row of the video frame at <paramref name="timestamp"/> seconds into
    /// <paramref name="row"/> (<see cref="Dim"/> values) and returns its audio mask: true when the
    /// timestamp lies within the audio track (silence included: quiet audio is present audio, and the VAD column says
    /// whether anyone speaks); false, with a zero row, when there is no audio track or the frame is beyond its end.
    /// The mask does not depend on the groups. The embedding columns average the embeddings centred in the window,
    /// else hold the one centred nearest the timestamp (the earlier on a tie), else (audio under 0.782 s) zeros.</summary>
    public bool Next(double timestamp, Span<float> row)
    {
        if (row.Length != _dim)
            throw new ArgumentException($"row must have {_dim} values, got {row.Length}");
        if (!double.IsFinite(timestamp))
            throw new ArgumentException($"timestamp {timestamp} is not finite");
        if (timestamp < _lastTimestamp)
            throw new ArgumentException($"timestamps must not decrease: {timestamp} s after {_lastTimestamp} s");
        _lastTimestamp = timestamp;
        row.Clear();
        if (!HasAudio)
            return false;

        double lo = timestamp - _half, hi = timestamp + _half;
        // Embeddings whose centre lies in [lo, hi]; centre(j) = (1280 j + 6256) / 16000.
        long firstEmbedding = Math.Max(0, (long)Math.Ceiling((lo * Rate - E.WindowSamples / 2.0) / E.StrideSamples));
        long lastEmbedding = (long)Math.Floor((hi * Rate - E.WindowSamples / 2.0) / E.StrideSamples);
        double cap = (timestamp + _horizon) * Rate; // samples this row may read (infinite for files)
        ReadUntil(hi, Math.Max(firstEmbedding, lastEmbedding) + 1, cap);
        long pooling = Clock();
        bool present = PoolRow(timestamp, lo, hi, firstEmbedding, lastEmbedding, cap, row);
        Step(ProfiledStage.AudioPooling, pooling);
        return present;
    }

    private bool PoolRow(double timestamp, double lo, double hi, long firstEmbedding, long lastEmbedding, double cap, Span<float> row)
    {
        if (_ended)
            cap = double.PositiveInfinity; // the sound is over: every row may read all of it, as a file's does

        // Frames whose centre lies in [lo, hi]; centre(i) = (160 i + 200) / 16000. Without the prosody group no
        // descriptor is computed, but the frames that would exist still decide the mask.
        long descriptorsFirst = _prosody ? _descriptors.FirstIndex : 0;
        long descriptorsEnd = _prosody ? _descriptors.EndIndex : FrameDescriptorAnalyzer.FrameCount(_samplesRead);
        long first = Math.Max(descriptorsFirst, (long)Math.Ceiling((lo * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop));
        long last = Math.Min(descriptorsEnd - 1, (long)Math.Floor((hi * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop));
        // A live row counts only frames whose samples had arrived by its cap (the pitch segment's, with prosody), so
        // the mask as well as the values is the same however the sound was chunked.
        if (double.IsFinite(cap))
            last = Math.Min(last, (long)Math.Floor((cap - (_prosody ? _analyzer.ReachSamples : FrameDescriptorAnalyzer.FrameLength)) / FrameDescriptorAnalyzer.Hop));
        // VAD chunks overlapping [lo, hi]; chunk j spans [512 j, 512 j + 512).
        long firstChunk = Math.Max(_speech.FirstIndex, (long)Math.Floor(lo * Rate / SileroVad.ChunkSamples));
        long lastChunk = Math.Min(_speech.EndIndex - 1, (long)Math.Ceiling(hi * Rate / SileroVad.ChunkSamples) - 1);
        if (double.IsFinite(cap))
            lastChunk = Math.Min(lastChunk, (long)Math.Floor(cap / SileroVad.ChunkSamples) - 1);

        // Later timestamps never reach back before lo.
        _descriptors.DropBefore(first);
        _speech.DropBefore(firstChunk);
        // The one before the window may still be the nearest; so may the newest, when the audio ended before the window.
        _embeddings.DropBefore(Math.Min(firstEmbedding - 1, _embeddings.EndIndex - 1));

        double duration = (double)_samplesRead / Rate;
        bool within = timestamp >= -EdgeToleranceSeconds && (!_ended || timestamp <= duration + EdgeToleranceSeconds);
        if (!within || last < first)
            return false;

        if (_embedder is not null)
            PoolEmbeddings(timestamp, firstEmbedding, lastEmbedding, EligibleEmbeddings(cap), row.Slice(_embeddingOffset, E.Dim));
        if (!_prosody)
            return true;

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

    // Embeddings [0, end) whose block had run by sample `cap` (all that exist when cap is infinite).
    private long EligibleEmbeddings(double cap)
    {
        long end = _embeddings.EndIndex;
        while (double.IsFinite(cap) && end > 0 && _embedder!.SamplesBefore(end - 1) > cap)
            end--;
        return end;
    }

    private void PoolEmbeddings(double timestamp, long first, long last, long end, Span<float> columns)
    {
        long from = Math.Max(first, _embeddings.FirstIndex), to = Math.Min(last, end - 1);
        if (to >= from)
        {
            Array.Clear(_embeddingSum);
            for (long j = from; j <= to; j++)
            {
                ReadOnlySpan<float> e = _embeddings.Row(j);
                for (int c = 0; c < E.Dim; c++)
                    _embeddingSum[c] += e[c];
            }
            int n = (int)(to - from + 1);
            for (int c = 0; c < E.Dim; c++)
                columns[c] = (float)(_embeddingSum[c] / n);
            return;
        }
        // None centred in the window (a short window, or the audio's first or last 0.39 s): the nearest one, which
        // is the last before the window or the first after it.
        long before = Math.Min(first - 1, end - 1), after = first;
        bool hasBefore = before >= 0 && before >= _embeddings.FirstIndex;
        bool hasAfter = after < end;
        if (!hasBefore && !hasAfter)
            return;
        long nearest = !hasAfter || (hasBefore && timestamp - E.CentreSeconds(before) <= E.CentreSeconds(after) - timestamp) ? before : after;
        _embeddings.Row(nearest).CopyTo(columns);
    }

    // Decodes until every descriptor frame and VAD chunk that can overlap [.., hiSeconds] exists, and the first
    // embeddingsNeeded embeddings, or the audio ends, or capSample samples are in (a live row reads no further).
    private void ReadUntil(double hiSeconds, long embeddingsNeeded, double capSample)
    {
        long lastFrame = (long)Math.Floor((hiSeconds * Rate - FrameDescriptorAnalyzer.FrameLength / 2.0) / FrameDescriptorAnalyzer.Hop);
        double hiSample = hiSeconds * Rate;
        while (!_ended && _samplesRead < capSample && ((_prosody
                   ? _analyzer.FramesProduced <= lastFrame || _vad!.ChunksProduced * (double)SileroVad.ChunkSamples < hiSample
                   : FrameDescriptorAnalyzer.FrameCount(_samplesRead) <= lastFrame)
               || (_embedder is not null && _embedder.EmbeddingsProduced < embeddingsNeeded)))
        {
            long start = Clock();
            bool more = _pcm!.MoveNext();
            start = Step(ProfiledStage.AudioRead, start);
            if (more)
            {
                float[] chunk = _pcm.Current;
                _samplesRead += chunk.Length;
                if (_prosody)
                {
                    _analyzer.Push(chunk, _descriptors);
                    start = Step(ProfiledStage.Descriptors, start);
                    _vad!.Push(chunk, _onSpeech);
                    start = Step(ProfiledStage.Vad, start);
                }
                _embedder?.Push(chunk, _onEmbedding);
            }
            else
            {
                if (_prosody)
                {
                    _analyzer.Finish(_descriptors);
                    start = Step(ProfiledStage.Descriptors, start);
                    _vad!.Finish(_onSpeech);
                    start = Step(ProfiledStage.Vad, start);
                }
                _embedder?.Finish(_onEmbedding);
                _ended = true;
            }
            if (_embedder is not null)
                Step(ProfiledStage.SpeechEmbedding, start);
        }
    }

    // Without a profile no clock is read.
    private long Clock() => _profile is null ? 0 : StageProfile.Start();

    private long Step(ProfiledStage stage, long start) => _profile?.Stop(stage, start) ?? start;

    /// <summary>Releases the PCM source (stops the decoder when it is a file) and the embedding stream's tensors.</summary>
    public void Dispose()
    {
        _pcm?.Dispose();
        _embedder?.Dispose();
    }
}
