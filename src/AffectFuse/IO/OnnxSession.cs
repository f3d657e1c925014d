using Microsoft.ML.OnnxRuntime;

namespace AffectFuse.IO;

/// <summary>Opens the small ONNX models (audio, MediaPipe's face nets) the same way: single-threaded (the front end parallelises across stages,
/// not inside these nets), sequential, fully optimised; a missing or unloadable file is one error naming it.</summary>
internal static class OnnxSession
{
    public static InferenceSession OpenSingleThreaded(string path, string what)
    {
        if (!File.Exists(path))
            throw new AffectFuseException(path, $"{what} model not found; run scripts/fetch-models.sh");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            // Converted models draw warnings such as unused initialisers at load: noise on a user's terminal.
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AffectFuseException(path, $"not a loadable ONNX model: {e.Message.Split('\n')[0]}", e);
        }
    }
}
