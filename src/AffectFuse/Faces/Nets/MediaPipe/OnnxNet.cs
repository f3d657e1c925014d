using AffectFuse.IO;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>One single-input ONNX model run on one example at a time (MediaPipe's nets take batch 1), single-threaded like
/// the project's other ONNX models, with its input and outputs bound to buffers allocated once. Checks at load that the
/// file has the inputs and outputs it is expected to have, so a wrong file is one error naming it.</summary>
internal sealed class OnnxNet : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames, _outputNames;
    private readonly float[] _input;
    private readonly float[][] _outputs;
    private readonly OrtValue[] _inputValues, _outputValues;
    private readonly RunOptions _runOptions = new();

    public OnnxNet(string path, string what, string inputName, int[] inputShape, params (string Name, int[] Shape)[] outputs)
    {
        _session = OnnxSession.OpenSingleThreaded(path, what);
        try
        {
            Expect(path, what, "input", _session.InputMetadata, [(inputName, inputShape)]);
            Expect(path, what, "output", _session.OutputMetadata, outputs);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _inputNames = [inputName];
        _outputNames = outputs.Select(o => o.Name).ToArray();
        _input = new float[Count(inputShape)];
        _outputs = outputs.Select(o => new float[Count(o.Shape)]).ToArray();
        _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, inputShape.Select(d => (long)d).ToArray())];
        _outputValues = outputs.Select((o, i) => OrtValue.CreateTensorValueFromMemory(_outputs[i], o.Shape.Select(d => (long)d).ToArray())).ToArray();
    }

    /// <summary>The input buffer: fill it, then <see cref="Run"/>.</summary>
    public Span<float> Input => _input;

    /// <summary>Output <paramref name="index"/> (in the constructor's order) of the last run.</summary>
    public ReadOnlySpan<float> Output(int index) => _outputs[index];

    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    private static int Count(int[] shape) => shape.Aggregate(1, (n, d) => n * d);

    private static void Expect(string path, string what, string kind, IReadOnlyDictionary<string, NodeMetadata> actual, (string Name, int[] Shape)[] expected)
    {
        static string Show(IEnumerable<int> s) => "[" + string.Join(",", s) + "]";
        foreach (var (name, shape) in expected)
            if (!actual.TryGetValue(name, out var meta) || !meta.Dimensions.SequenceEqual(shape))
                throw new AffectFuseException(path, $"not the {what} model: expected {kind} '{name}' {Show(shape)}, found " +
                    string.Join(", ", actual.Select(kv => $"'{kv.Key}' {Show(kv.Value.Dimensions)}")));
    }

    public void Dispose()
    {
        foreach (var v in _inputValues.Concat(_outputValues))
            v.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
