using AffectFuse.IO;
using AffectFuse.Setup;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Audio;

/// <summary>Silero VAD v5 (ONNX, from npm <c>@ricky0123/vad-web</c>) run with ONNX Runtime: one speech probability per
/// 512-sample (32 ms) chunk of 16 kHz audio. As in the official silero-vad <c>OnnxWrapper</c>, each chunk is fed with
/// the last 64 samples before it prepended (input [1, 576]) and the recurrent state [2, 1, 128] is carried from chunk
/// to chunk (<see cref="SileroVadPass"/>); vad-web feeds the bare 512 samples, which this model was not run with
/// upstream. The reported probability is the larger of that pass and a pass over the signal slowed to a third of its
/// speed, without which screamed speech scores as silence (<see cref="SileroVadStream"/>). The session is safe to
/// share; per-signal state lives in <see cref="SileroVadStream"/>.</summary>
internal sealed class SileroVad : IDisposable
{
    /// <summary>Sample rate the model runs at.</summary>
    public const int SampleRate = 16000;

    /// <summary>New samples per chunk.</summary>
    public const int ChunkSamples = 512;

    /// <summary>Samples of the previous chunk prepended to each chunk.</summary>
    public const int ContextSamples = 64;

    /// <summary>Floats in the recurrent state [2, 1, 128].</summary>
    public const int StateSize = 2 * 128;

    private static readonly long[] InputShape = [1, ContextSamples + ChunkSamples];
    private static readonly long[] StateShape = [2, 1, 128];
    private static readonly string[] InputNames = ["input", "state", "sr"];
    private static readonly string[] OutputNames = ["output", "stateN"];

    private readonly InferenceSession _session;

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>Loads the model (single-threaded: the front end parallelises across videos, not inside this tiny net)
    /// and checks that its inputs and outputs are those of Silero VAD v5.</summary>
    public SileroVad(string modelPath)
    {
        ModelPath = modelPath;
        _session = OnnxSession.OpenSingleThreaded(modelPath, "Silero VAD");
        foreach (string name in InputNames)
        {
            if (!_session.InputMetadata.ContainsKey(name))
                Fail($"model has no input '{name}' (inputs: {string.Join(", ", _session.InputMetadata.Keys)}); expected Silero VAD v5");
        }
        foreach (string name in OutputNames)
        {
            if (!_session.OutputMetadata.ContainsKey(name))
                Fail($"model has no output '{name}' (outputs: {string.Join(", ", _session.OutputMetadata.Keys)}); expected Silero VAD v5");
        }
        var state = _session.InputMetadata["state"].Dimensions;
        if (state.Length != 3 || state[0] != 2 || state[2] != 128)
            Fail($"state input has shape [{string.Join(",", state)}], expected [2,B,128]");
    }

    /// <summary>Opens the model from the store (<see cref="ModelStore.SileroVad"/>).</summary>
    public static SileroVad Open(ModelStore? store = null) => new((store ?? ModelStore.Open()).SileroVad);

    /// <summary>A fresh per-signal state (zero recurrent state, zero context).</summary>
    public SileroVadStream CreateStream() => new(this);

    /// <summary>Speech probabilities of a whole signal, one per 512-sample chunk; a final partial chunk is zero-padded.
    /// The same as a <see cref="SileroVadStream"/> fed the signal in any pieces.</summary>
    public float[] SpeechProbabilities(ReadOnlySpan<float> pcm)
    {
        var stream = CreateStream();
        var probabilities = new List<float>(pcm.Length / ChunkSamples + 1);
        stream.Push(pcm, probabilities.Add);
        stream.Finish(probabilities.Add);
        return probabilities.ToArray();
    }

    /// <summary>Runs one chunk: <paramref name="input"/> is context + chunk (576 samples); <paramref name="state"/> is
    /// read and replaced by the next state.</summary>
    internal float Infer(float[] input, float[] state, float[] nextState)
    {
        var sr = new long[] { SampleRate };
        var probability = new float[1];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var stateValue = OrtValue.CreateTensorValueFromMemory(state, StateShape);
        using var srValue = OrtValue.CreateTensorValueFromMemory(sr, Array.Empty<long>());
        using var outputValue = OrtValue.CreateTensorValueFromMemory(probability, [1, 1]);
        using var nextStateValue = OrtValue.CreateTensorValueFromMemory(nextState, StateShape);
        using var runOptions = new RunOptions();
        _session.Run(runOptions, InputNames, [inputValue, stateValue, srValue], OutputNames, [outputValue, nextStateValue]);
        return probability[0];
    }

    private void Fail(string problem)
    {
        _session.Dispose();
        throw new AffectFuseException(ModelPath, problem);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
