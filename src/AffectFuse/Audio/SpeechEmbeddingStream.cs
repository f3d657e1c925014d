using Microsoft.ML.OnnxRuntime;
using E = AffectFuse.Audio.SpeechEmbedding;

namespace AffectFuse.Audio;

/// <summary>Per-signal streaming state of <see cref="SpeechEmbedding"/>; chunks of any size give exactly the batch
/// result (<see cref="SpeechEmbedding.Embed"/>), in order, embedding j as soon as sample 1280 j + 12512 has arrived.
/// The mel model is frame-local (each frame reads only its own 512 samples, and gives the same bits whatever the
/// input length), so the stream runs it on blocks of 8 frames — 1632 samples from the next frame's start, 352 of them
/// carried over from the previous block — and keeps only the last 83 mel frames. openWakeWord's own streaming path
/// (<c>_streaming_features</c>) is not this: it pre-fills 76 mel frames of ones and cuts windows ending at the newest
/// frame, one frame off the batch path's grid. Memory is fixed; the tensors are bound once and reused.</summary>
public sealed class SpeechEmbeddingStream : IDisposable
{
    private const int BlockFrames = E.StrideFrames;
    private const int BlockSamples = (BlockFrames - 1) * E.HopSamples + E.MelFrameSamples; // 1632
    private const int BlockAdvance = BlockFrames * E.HopSamples; // 1280
    private const int WindowValues = E.WindowFrames * E.MelBins;

    private readonly E _model;
    private readonly float[] _samples = new float[BlockSamples]; // from the next mel frame's first sample on
    private readonly float[] _melBlock = new float[BlockFrames * E.MelBins];
    private readonly float[] _mel = new float[(E.WindowFrames + BlockFrames - 1) * E.MelBins]; // from the next window's first frame on
    private readonly float[] _window = new float[WindowValues];
    private readonly float[] _embedding = new float[E.Dim];
    private readonly OrtValue[] _melInput, _melOutput, _windowInput, _embeddingOutput;
    private readonly RunOptions _runOptions = new();
    private int _sampleCount;
    private int _melCount;
    private bool _finished;

    internal SpeechEmbeddingStream(E model)
    {
        _model = model;
        _melInput = [OrtValue.CreateTensorValueFromMemory(_samples, [1, BlockSamples])];
        _melOutput = [OrtValue.CreateTensorValueFromMemory(_melBlock, [1, 1, BlockFrames, E.MelBins])];
        _windowInput = [OrtValue.CreateTensorValueFromMemory(_window, [1, E.WindowFrames, E.MelBins, 1])];
        _embeddingOutput = [OrtValue.CreateTensorValueFromMemory(_embedding, [1, 1, 1, E.Dim])];
    }

    /// <summary>Samples pushed so far.</summary>
    public long SamplesPushed { get; private set; }

    /// <summary>Mel frames computed so far.</summary>
    public long MelFramesProduced { get; private set; }

    /// <summary>Embeddings emitted so far; embedding j reads samples [1280 j, 1280 j + 12512) and is centred at
    /// <see cref="SpeechEmbedding.CentreSeconds"/>(j).</summary>
    public long EmbeddingsProduced { get; private set; }

    /// <summary>Feeds PCM in [-1, 1] (16 kHz mono); calls <paramref name="onEmbedding"/> for each embedding completed.</summary>
    public void Push(ReadOnlySpan<float> pcm, SpeechEmbeddingHandler onEmbedding)
    {
        if (_finished)
            throw new InvalidOperationException("the stream is finished");
        SamplesPushed += pcm.Length;
        while (!pcm.IsEmpty)
        {
            int take = Math.Min(pcm.Length, BlockSamples - _sampleCount);
            E.ScaleToInt16(pcm[..take], _samples.AsSpan(_sampleCount, take));
            _sampleCount += take;
            pcm = pcm[take..];
            if (_sampleCount == BlockSamples)
            {
                _model.RunMel(_runOptions, _melInput, _melOutput);
                AppendMel(_melBlock, onEmbedding);
                // The next block starts 8 hops on; its first 352 samples are this block's last.
                _samples.AsSpan(BlockAdvance).CopyTo(_samples);
                _sampleCount = BlockSamples - BlockAdvance;
            }
        }
    }

    /// <summary>Computes the last mel frames (fewer than a block) and any windows they complete; the batch path drops
    /// a final partial window, and so does this. Further pushes are refused.</summary>
    public void Finish(SpeechEmbeddingHandler onEmbedding)
    {
        if (_finished)
            return;
        _finished = true;
        int frames = (int)E.MelFrameCount(_sampleCount);
        if (frames == 0)
            return;
        // A one-off shape, once per signal.
        var input = _samples.AsSpan(0, _sampleCount).ToArray();
        var output = new float[frames * E.MelBins];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, 1, frames, E.MelBins]);
        _model.RunMel(_runOptions, [inputValue], [outputValue]);
        AppendMel(output, onEmbedding);
    }

    private void AppendMel(float[] frames, SpeechEmbeddingHandler onEmbedding)
    {
        E.TransformMel(frames);
        frames.CopyTo(_mel.AsSpan(_melCount * E.MelBins));
        int added = frames.Length / E.MelBins;
        _melCount += added;
        MelFramesProduced += added;
        while (_melCount >= E.WindowFrames)
        {
            _mel.AsSpan(0, WindowValues).CopyTo(_window);
            _model.RunEmbedding(_runOptions, _windowInput, _embeddingOutput);
            onEmbedding(EmbeddingsProduced++, _embedding);
            _mel.AsSpan(E.StrideFrames * E.MelBins, (_melCount - E.StrideFrames) * E.MelBins).CopyTo(_mel);
            _melCount -= E.StrideFrames;
        }
    }

    /// <summary>Releases the bound tensors.</summary>
    public void Dispose()
    {
        foreach (var value in _melInput.Concat(_melOutput).Concat(_windowInput).Concat(_embeddingOutput))
            value.Dispose();
        _runOptions.Dispose();
    }
}
