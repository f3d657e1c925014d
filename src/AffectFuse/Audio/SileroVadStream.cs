namespace AffectFuse.Audio;

/// <summary>Per-signal state of <see cref="SileroVad"/>: reports one speech probability per 512-sample chunk, in order,
/// the larger of two passes of the model over the chunk: the signal as it is, and the signal played at a third of its
/// speed (<see cref="SlowedPlayback"/>), where the chunk spans three chunks whose probabilities are averaged.</summary>
/// <remarks>Why the second pass: Silero VAD v5 hears no speech in screamed speech. On RAVDESS's strong happy, fearful
/// and angry utterances with a fundamental of 500–900 Hz its probability stays below 0.5 (bench vad: 4 of 1,380 never
/// reach it, 15 never do once pooled into a frame's VAD column) while the same actors' ordinary speech scores 1.0; the
/// cause is the pitch, not the level: scaling such an utterance by 0.1–2 leaves it unheard, and nothing in it is clipped.
/// A third of the speed brings 500–900 Hz down to 170–300 Hz, where the model knows speech, and takes every utterance
/// of RAVDESS and EmoDB over 0.5 while silence, white and pink noise at −90 to −6 dBFS stay under it (README, "Voice
/// activity"). The larger of the two can only raise a probability; the model is run four times as often.</remarks>
internal sealed class SileroVadStream
{
    private const int BlockSamples = SileroVad.ChunkSamples; // input handled at a time, so the slowed copy stays small

    private readonly SileroVadPass _direct;
    private readonly SileroVadPass _slowedPass;
    private readonly SlowedPlayback _slowing = new();
    private readonly float[] _slowed = new float[SlowedPlayback.Factor * BlockSamples];
    private readonly Queue<float> _directProbabilities = new();
    private readonly Queue<float> _slowedProbabilities = new();
    private readonly Action<float> _onDirect;
    private readonly Action<float> _onSlowed;

    internal SileroVadStream(SileroVad vad)
    {
        _direct = new SileroVadPass(vad);
        _slowedPass = new SileroVadPass(vad);
        _onDirect = _directProbabilities.Enqueue;
        _onSlowed = _slowedProbabilities.Enqueue;
    }

    /// <summary>Chunks evaluated so far; chunk j covers samples [512·j, 512·j + 512).</summary>
    public long ChunksProduced { get; private set; }

    /// <summary>Feeds samples; calls <paramref name="onProbability"/> for each completed chunk.</summary>
    public void Push(ReadOnlySpan<float> samples, Action<float> onProbability)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, BlockSamples);
            Span<float> slowed = _slowed.AsSpan(0, SlowedPlayback.Factor * take);
            _slowing.Play(samples[..take], slowed);
            _direct.Push(samples[..take], _onDirect);
            _slowedPass.Push(slowed, _onSlowed);
            samples = samples[take..];
            // Chunk j of the signal ends with chunk 3j + 2 of the slowed copy: both are done at once.
            while (_directProbabilities.Count > 0 && _slowedProbabilities.Count >= SlowedPlayback.Factor)
                onProbability(Combine(SlowedPlayback.Factor));
        }
    }

    /// <summary>Evaluates a final partial chunk, zero-padded (as silero-vad's own timestamp helper does) in both passes.</summary>
    public void Finish(Action<float> onProbability)
    {
        _direct.Finish(_onDirect);
        _slowedPass.Finish(_onSlowed);
        // A partial chunk of r samples spans ⌈3r / 512⌉ slowed chunks, fewer than three when r < 342.
        if (_directProbabilities.Count > 0)
            onProbability(Combine(_slowedProbabilities.Count));
    }

    private float Combine(int slowedChunks)
    {
        float direct = _directProbabilities.Dequeue(), sum = 0;
        for (int i = 0; i < slowedChunks; i++)
            sum += _slowedProbabilities.Dequeue();
        ChunksProduced++;
        return Math.Max(direct, sum / slowedChunks);
    }
}
