using AffectFuse.IO;
using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.Faces.Nets;

/// <summary>A one-input, one-output float ONNX model written in memory (the face nets' graphs), run on a batch that lives
/// in the caller's buffers: <c>count</c> items of a fixed shape in, one row of a fixed width out per item. The values wrap
/// the caller's arrays for the call, so nothing is copied in or out; a longer, reused buffer is fine. Thread-safe (ORT's
/// Run is).</summary>
internal sealed class OnnxBatchNet : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames, _outputNames;
    private readonly long[] _itemShape;
    private readonly int _itemFloats, _rowWidth;

    /// <summary>A session for <paramref name="model"/>; <paramref name="itemShape"/> is one input item's shape (the batch
    /// axis comes first), <paramref name="rowWidth"/> the output row's. Load errors name <paramref name="source"/>.</summary>
    public OnnxBatchNet(byte[] model, string source, string what, GraphOptimizationLevel optimization, string inputName, long[] itemShape,
        string outputName, int rowWidth)
    {
        _session = OnnxSession.OpenSingleThreaded(model, source, what, optimization);
        Optimization = optimization;
        (_inputNames, _outputNames) = ([inputName], [outputName]);
        (_itemShape, _rowWidth) = (itemShape, rowWidth);
        _itemFloats = (int)itemShape.Aggregate(1L, (n, d) => n * d);
    }

    /// <summary>The graph optimisation level the session was made with.</summary>
    public GraphOptimizationLevel Optimization { get; }

    /// <summary>Runs the first <paramref name="count"/> items of <paramref name="input"/> into the first
    /// <paramref name="count"/> rows of <paramref name="output"/>.</summary>
    public void Run(float[] input, int count, float[] output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (input.Length < count * _itemFloats)
            throw new ArgumentException($"{count} crops need {count * _itemFloats} floats, got {input.Length}", nameof(input));
        if (output.Length < count * _rowWidth)
            throw new ArgumentException($"{count} rows need {count * _rowWidth} floats, got {output.Length}", nameof(output));
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            input.AsMemory(0, count * _itemFloats), [count, .. _itemShape]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
            output.AsMemory(0, count * _rowWidth), [count, _rowWidth]);
        _session.Run(_runOptions, _inputNames, [inputValue], _outputNames, [outputValue]);
    }

    /// <summary>As <see cref="Run(float[], int, float[])"/>, into a new array of <paramref name="count"/> rows.</summary>
    public float[] Run(float[] input, int count)
    {
        var output = new float[count * _rowWidth];
        Run(input, count, output);
        return output;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
