namespace AffectFuse.Audio;

/// <summary>Turns a stream of 16 kHz PCM into the <see cref="AudioFeatureLayout.DescriptorCount"/> descriptors of each
/// 10 ms hop: frame i covers samples [160·i, 160·i + 400) (25 ms) and is centred at (160·i + 200) / 16000 s; its pitch
/// is estimated on a longer segment centred on the same instant (zeros before the start and after the end).
/// Only the samples still needed are kept, whatever the signal's length.</summary>
internal sealed class FrameDescriptorAnalyzer
{
    /// <summary>Sample rate the analyzer expects.</summary>
    public const int SampleRate = 16000;

    /// <summary>Hop between frames (10 ms).</summary>
    public const int Hop = 160;

    /// <summary>Analysis frame length (25 ms).</summary>
    public const int FrameLength = 400;

    /// <summary>FFT length.</summary>
    public const int FftSize = 512;

    private readonly Stft _stft = new(FrameLength, FftSize);
    private readonly MelFilterbank _mel = new(AudioFeatureLayout.MelBands, SampleRate, FftSize);
    private readonly PitchTracker _pitch = new(SampleRate);
    private readonly float[] _power = new float[FftSize / 2 + 1];
    private readonly float[] _bands = new float[AudioFeatureLayout.MelBands];
    private readonly int _pitchLead;  // pitch-segment samples before a frame's first sample
    private readonly int _pitchReach; // samples from a frame's first sample to its pitch segment's end

    private float[] _buffer = new float[8192];
    private long _bufferStart; // absolute sample index of _buffer[0]
    private int _bufferCount;
    private bool _finished;

    /// <summary>Creates an analyzer at the start of a signal.</summary>
    public FrameDescriptorAnalyzer()
    {
        int segment = _pitch.SegmentLength;
        _pitchLead = segment / 2 - FrameLength / 2;
        _pitchReach = segment - _pitchLead;
        _bufferStart = -_pitchLead;
        _bufferCount = _pitchLead; // leading zeros
    }

    /// <summary>Frames produced so far.</summary>
    public long FramesProduced { get; private set; }

    /// <summary>Samples pushed so far.</summary>
    public long SamplesPushed { get; private set; }

    /// <summary>Samples from a frame's first sample to the end of its pitch segment: frame i is produced once
    /// 160 i + this many samples have been pushed.</summary>
    internal int ReachSamples => _pitchReach;

    /// <summary>Centre time in seconds of frame <paramref name="index"/>.</summary>
    public static double FrameCentreSeconds(long index) => (index * (double)Hop + FrameLength / 2.0) / SampleRate;

    /// <summary>Number of whole frames in a signal of <paramref name="samples"/> samples.</summary>
    public static long FrameCount(long samples) => samples < FrameLength ? 0 : (samples - FrameLength) / Hop + 1;

    /// <summary>Feeds samples; appends a descriptor row to <paramref name="output"/> for every frame that becomes complete.</summary>
    internal void Push(ReadOnlySpan<float> samples, FrameRing output)
    {
        if (_finished)
            throw new InvalidOperationException("analyzer already finished");
        Append(samples);
        SamplesPushed += samples.Length;
        long available = _bufferStart + _bufferCount;
        while (FramesProduced * Hop + _pitchReach <= available)
            Produce(output);
        Compact();
    }

    /// <summary>Ends the signal: emits the remaining whole frames, their pitch segments zero-padded.</summary>
    internal void Finish(FrameRing output)
    {
        if (_finished)
            return;
        _finished = true;
        long total = FrameCount(SamplesPushed);
        if (FramesProduced >= total)
            return;
        long needed = (total - 1) * Hop + _pitchReach - (_bufferStart + _bufferCount);
        if (needed > 0)
            Append(new float[needed]);
        while (FramesProduced < total)
            Produce(output);
    }

    /// <summary>Descriptors of every whole frame of <paramref name="pcm"/>, row-major [frames, DescriptorCount].</summary>
    public static float[] AnalyzeAll(ReadOnlySpan<float> pcm)
    {
        var analyzer = new FrameDescriptorAnalyzer();
        var ring = new FrameRing(AudioFeatureLayout.DescriptorCount, (int)Math.Max(1, FrameCount(pcm.Length)));
        analyzer.Push(pcm, ring);
        analyzer.Finish(ring);
        var all = new float[ring.Count * ring.Width];
        for (long i = ring.FirstIndex; i < ring.EndIndex; i++)
            ring.Row(i).CopyTo(all.AsSpan((int)(i - ring.FirstIndex) * ring.Width));
        return all;
    }

    private void Produce(FrameRing output)
    {
        long frameStart = FramesProduced * Hop;
        int offset = (int)(frameStart - _bufferStart);
        ReadOnlySpan<float> frame = _buffer.AsSpan(offset, FrameLength);
        ReadOnlySpan<float> segment = _buffer.AsSpan(offset - _pitchLead, _pitch.SegmentLength);
        Analyze(frame, segment, output.Append());
        FramesProduced++;
    }

    private void Analyze(ReadOnlySpan<float> frame, ReadOnlySpan<float> pitchSegment, Span<float> row)
    {
        _stft.Power(frame, _power);
        _mel.Apply(_power, _bands);
        for (int b = 0; b < _bands.Length; b++)
            row[b] = (float)Math.Log(Math.Max(_bands[b], SpectralDescriptors.PowerFloor));

        var pitch = _pitch.Estimate(pitchSegment);
        row[AudioFeatureLayout.LogF0] = pitch.Voiced ? MathF.Log(pitch.FrequencyHz) : 0f;
        row[AudioFeatureLayout.Voiced] = pitch.Voiced ? 1f : 0f;
        row[AudioFeatureLayout.Periodicity] = pitch.Periodicity;

        row[AudioFeatureLayout.LogEnergy] = SpectralDescriptors.LogRms(frame);
        var (centroid, rolloff, flatness) = SpectralDescriptors.Shape(_power, (double)SampleRate / FftSize);
        row[AudioFeatureLayout.CentroidKHz] = centroid / 1000f;
        row[AudioFeatureLayout.Flatness] = flatness;
        row[AudioFeatureLayout.RolloffKHz] = rolloff / 1000f;
        row[AudioFeatureLayout.ZeroCrossingRate] = SpectralDescriptors.ZeroCrossingRate(frame);
    }

    private void Append(ReadOnlySpan<float> samples)
    {
        if (_bufferCount + samples.Length > _buffer.Length)
        {
            Compact();
            if (_bufferCount + samples.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _bufferCount + samples.Length));
        }
        samples.CopyTo(_buffer.AsSpan(_bufferCount));
        _bufferCount += samples.Length;
    }

    // Drops samples no future frame reads: everything before the next frame's pitch segment.
    private void Compact()
    {
        long keepFrom = FramesProduced * Hop - _pitchLead;
        int drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _bufferCount);
        if (drop == 0)
            return;
        _buffer.AsSpan(drop, _bufferCount - drop).CopyTo(_buffer);
        _bufferCount -= drop;
        _bufferStart += drop;
    }
}
