using Microsoft.ML.OnnxRuntime;
using E = AffectFuse.Audio.SpeechEmbedding;

namespace AffectFuse.Audio;

/// <summary>Per-signal streaming state of <see cref="SpeechEmbedding"/>; chunks of any size give bit for bit the batch
/// result (<see cref="SpeechEmbedding.Embed"/>), in order. Each mel frame reads only its own 512 samples, so the stream
/// runs the mel model on blocks of 80 frames (13152 samples from the block's first frame) — not smaller: ONNX Runtime's
/// CPU kernels take another path, rounding differently (~1e-5), when the model outputs 64 frames or fewer, and a whole
/// signal long enough for one embedding (76 frames) always takes the long path. For the same reason
/// <see cref="Finish"/> recomputes the last 80 frames rather than the short tail alone.</summary>
/// <remarks>A block is run each time <c>advance</c> new mel frames are complete and keeps only those (the rest of the
/// 80 were computed before, to the same bits). Files use an advance of 80, one run per 0.8 s of sound; then embedding
/// j waits up to 0.8 s after its last sample (1280 j + 12512) arrives. A live stream uses an advance of 8 (one
/// embedding stride): each embedding is out within 80 ms of its last sample, for ten times the mel work (about 0.1 ms
/// per 10 ms of sound on this machine's cores). openWakeWord's own streaming path (<c>_streaming_features</c>) is
/// neither: it pre-fills 76 mel frames of ones and cuts windows ending at the newest frame, one frame off the batch
/// path's grid. Memory is fixed (26 k samples, 155 mel frames); the tensors are bound once and reused.</remarks>
internal sealed class SpeechEmbeddingStream : IDisposable
{
    private const int BlockFrames = 10 * E.StrideFrames; // 80: above the 64-frame kernel switch, a whole number of strides
    private const int BlockSamples = (BlockFrames - 1) * E.HopSamples + E.MelFrameSamples; // 13152
    private const int HistorySamples = BlockFrames * E.HopSamples; // 12800: the frames before the next block's new ones
    private const int WindowValues = E.WindowFrames * E.MelBins;

    private readonly E _model;
    // Samples from 160 · (MelFramesProduced − 80) on (from 0 at first): the next block, and history for the tail.
    private readonly float[] _samples = new float[HistorySamples + BlockSamples];
    private readonly float[] _blockInput = new float[BlockSamples];
    private readonly float[] _melBlock = new float[BlockFrames * E.MelBins];
    private readonly float[] _mel = new float[(E.WindowFrames + BlockFrames - 1) * E.MelBins]; // from the next window's first frame on
    private readonly float[] _window = new float[WindowValues];
    private readonly float[] _embedding = new float[E.Dim];
    private readonly OrtValue[] _melInput, _melOutput, _windowInput, _embeddingOutput;
    private readonly RunOptions _runOptions = new();
    private readonly int _advance;
    private long _bufferStart; // absolute index of _samples[0]
    private int _sampleCount;
    private int _melCount;
    private bool _finished;

    /// <summary>Mel frames per block run: 80 (files) down to 8 (live: an embedding as soon as its sound is in).</summary>
    public const int FileAdvance = BlockFrames, LiveAdvance = E.StrideFrames;

    internal SpeechEmbeddingStream(E model, int advance = FileAdvance)
    {
        if (advance is < 1 or > BlockFrames)
            throw new ArgumentOutOfRangeException(nameof(advance), advance, $"a block advances 1 to {BlockFrames} mel frames");
        _model = model;
        _advance = advance;
        _melInput = [OrtValue.CreateTensorValueFromMemory(_blockInput, [1, BlockSamples])];
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

    // The next block ends at mel frame BlockEnd (exclusive): the first 80 frames, then `advance` new ones at a time.
    private long BlockEnd => Math.Max(BlockFrames, MelFramesProduced + _advance);

    /// <summary>Feeds PCM in [-1, 1] (16 kHz mono); calls <paramref name="onEmbedding"/> for each embedding completed.</summary>
    public void Push(ReadOnlySpan<float> pcm, SpeechEmbeddingHandler onEmbedding)
    {
        if (_finished)
            throw new InvalidOperationException("the stream is finished");
        SamplesPushed += pcm.Length;
        while (!pcm.IsEmpty)
        {
            long first = BlockEnd - BlockFrames;
            int blockOffset = (int)(first * E.HopSamples - _bufferStart);
            int take = Math.Min(pcm.Length, blockOffset + BlockSamples - _sampleCount);
            E.ScaleToInt16(pcm[..take], _samples.AsSpan(_sampleCount, take));
            _sampleCount += take;
            pcm = pcm[take..];
            if (_sampleCount < blockOffset + BlockSamples)
                continue;
            _samples.AsSpan(blockOffset, BlockSamples).CopyTo(_blockInput);
            _model.RunMel(_runOptions, _melInput, _melOutput);
            AppendMel(_melBlock.AsSpan((int)(MelFramesProduced - first) * E.MelBins), onEmbedding);
            // Keep 80 frames of history: the next block's older frames, and the tail's recomputation.
            int drop = (int)(Math.Max(0, (MelFramesProduced - BlockFrames) * E.HopSamples) - _bufferStart);
            _samples.AsSpan(drop, _sampleCount - drop).CopyTo(_samples);
            _sampleCount -= drop;
            _bufferStart += drop;
        }
    }

    /// <summary>Computes the last mel frames (fewer than a block) and any windows they complete; the batch path drops
    /// a final partial window, and so does this. Further pushes are refused.</summary>
    public void Finish(SpeechEmbeddingHandler onEmbedding)
    {
        if (_finished)
            return;
        _finished = true;
        long total = E.MelFrameCount(SamplesPushed);
        if (total <= MelFramesProduced)
            return;
        // The last min(80, total) frames in one run (once per signal, so a one-off shape), of which the new are kept.
        long first = Math.Max(0, total - BlockFrames);
        int frames = (int)(total - first);
        int offset = (int)(first * E.HopSamples - _bufferStart);
        var input = _samples.AsSpan(offset, (frames - 1) * E.HopSamples + E.MelFrameSamples).ToArray();
        var output = new float[frames * E.MelBins];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, 1, frames, E.MelBins]);
        _model.RunMel(_runOptions, [inputValue], [outputValue]);
        AppendMel(output.AsSpan((int)(MelFramesProduced - first) * E.MelBins), onEmbedding);
    }

    private void AppendMel(Span<float> frames, SpeechEmbeddingHandler onEmbedding)
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

    /// <summary>Samples that must have been pushed before embedding <paramref name="index"/> is emitted: those of the
    /// block run that completes its last mel frame (8 j + 75). It depends on the advance, never on the chunk sizes.</summary>
    public long SamplesBefore(long index) => SamplesBefore(index, _advance);

    /// <summary><see cref="SamplesBefore(long)"/> of a stream with the given advance.</summary>
    public static long SamplesBefore(long index, int advance)
    {
        long lastFrame = index * E.StrideFrames + E.WindowFrames - 1;
        long end = BlockFrames + advance * Math.Max(0, (lastFrame + 1 - BlockFrames + advance - 1) / advance);
        return (end - 1) * E.HopSamples + E.MelFrameSamples;
    }

    /// <summary>Releases the bound tensors.</summary>
    public void Dispose()
    {
        foreach (var value in _melInput.Concat(_melOutput).Concat(_windowInput).Concat(_embeddingOutput))
            value.Dispose();
        _runOptions.Dispose();
    }
}
