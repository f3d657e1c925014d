namespace AffectFuse.Audio;

/// <summary>Per-signal state of <see cref="SileroVad"/>: buffers incoming samples into 512-sample chunks, keeps the
/// 64-sample context and the recurrent state, and reports one speech probability per chunk, in order.</summary>
public sealed class SileroVadStream
{
    private readonly SileroVad _vad;
    private readonly float[] _input = new float[SileroVad.ContextSamples + SileroVad.ChunkSamples];
    private float[] _state = new float[SileroVad.StateSize];
    private float[] _nextState = new float[SileroVad.StateSize];
    private int _pending; // samples of the current chunk already in _input after the context

    internal SileroVadStream(SileroVad vad) => _vad = vad;

    /// <summary>Chunks evaluated so far; chunk j covers samples [512·j, 512·j + 512).</summary>
    public long ChunksProduced { get; private set; }

    /// <summary>Feeds samples; calls <paramref name="onProbability"/> for each completed chunk.</summary>
    public void Push(ReadOnlySpan<float> samples, Action<float> onProbability)
    {
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, SileroVad.ChunkSamples - _pending);
            samples[..take].CopyTo(_input.AsSpan(SileroVad.ContextSamples + _pending));
            _pending += take;
            samples = samples[take..];
            if (_pending == SileroVad.ChunkSamples)
                onProbability(RunChunk());
        }
    }

    /// <summary>Evaluates a final partial chunk, zero-padded (as silero-vad's own timestamp helper does).</summary>
    public void Finish(Action<float> onProbability)
    {
        if (_pending == 0)
            return;
        _input.AsSpan(SileroVad.ContextSamples + _pending).Clear();
        onProbability(RunChunk());
    }

    private float RunChunk()
    {
        float p = _vad.Infer(_input, _state, _nextState);
        (_state, _nextState) = (_nextState, _state);
        // The next chunk's context is the last 64 samples of this one.
        _input.AsSpan(SileroVad.ChunkSamples, SileroVad.ContextSamples).CopyTo(_input);
        _pending = 0;
        ChunksProduced++;
        return p;
    }
}
