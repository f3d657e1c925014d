namespace AffectFuse.Audio;

/// <summary>One pass of <see cref="SileroVad"/> over a signal, as silero-vad's <c>OnnxWrapper</c> runs it: samples
/// buffered into 512-sample chunks, each fed with the 64 samples before it prepended, the recurrent state carried from
/// chunk to chunk; one model probability per chunk, in order.</summary>
internal sealed class SileroVadPass
{
    private readonly SileroVad _vad;
    private readonly float[] _input = new float[SileroVad.ContextSamples + SileroVad.ChunkSamples];
    private float[] _state = new float[SileroVad.StateSize];
    private float[] _nextState = new float[SileroVad.StateSize];
    private int _pending; // samples of the current chunk already in _input after the context

    internal SileroVadPass(SileroVad vad) => _vad = vad;

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
        return p;
    }
}
