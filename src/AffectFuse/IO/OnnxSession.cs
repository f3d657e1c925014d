using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.IO;

/// <summary>Opens the ONNX models (audio, MediaPipe's face nets, and the face nets whose graphs are written in memory)
/// the same way: single-threaded (the front end parallelises across stages, not inside these nets), sequential, fully
/// optimised unless told otherwise; a missing or unloadable model is one error naming its file.</summary>
internal static class OnnxSession
{
    public static InferenceSession OpenSingleThreaded(string path, string what)
    {
        if (!File.Exists(path))
            throw new AffectFuseException(path, $"{what} model not found; run scripts/fetch-models.sh");
        using var options = Options(GraphOptimizationLevel.ORT_ENABLE_ALL);
        return Open(() => new InferenceSession(path, options), path, "not a loadable ONNX model");
    }

    /// <summary>A session for a model serialised in memory (<paramref name="source"/>: the file it was written from,
    /// named by errors; <paramref name="what"/>: what failed to load, e.g. "the expression graph built from this manifest").</summary>
    public static InferenceSession OpenSingleThreaded(byte[] model, string source, string what, GraphOptimizationLevel optimization)
    {
        using var options = Options(optimization);
        return Open(() => new InferenceSession(model, options), source, $"{what} does not load");
    }

    private static SessionOptions Options(GraphOptimizationLevel optimization) => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = optimization,
        // Converted models draw warnings such as unused initialisers at load: noise on a user's terminal.
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    private static InferenceSession Open(Func<InferenceSession> open, string path, string problem)
    {
        try
        {
            return open();
        }
        catch (OnnxRuntimeException e)
        {
            throw new AffectFuseException(path, $"{problem}: {e.Message.Split('\n')[0]}", e);
        }
    }
}
