using System.Globalization;
using System.Text;
using AffectFuse.Evaluation;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>One row per clip: <c>clip,truth,frames,face_frames</c>, then each system's clip label (class names; empty
/// where the system gave none), columns named by <see cref="ComparedSystem.Key"/>.</summary>
internal static class ClipScoresCsv
{
    /// <summary>Writes the CSV atomically.</summary>
    public static void Write(string path, ClipEvaluationResult result) => AtomicFile.WriteAllText(path, ToCsv(result));

    /// <summary>The CSV text.</summary>
    public static string ToCsv(ClipEvaluationResult result)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', new[] { "clip", "truth", "frames", "face_frames" }.Concat(result.Systems.Select(s => s.System.Key))).Append('\n');
        foreach (var clip in result.Clips)
        {
            text.Append(Field(clip.Clip)).Append(',').Append(ExpressionClasses.Names[clip.Truth])
                .Append(',').Append(clip.Frames.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(clip.FaceFrames.ToString(CultureInfo.InvariantCulture));
            foreach (var s in result.Systems)
                text.Append(',').Append(clip.Predicted[s.System] is { } label ? ExpressionClasses.Names[label] : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    // A clip name holding a comma or a quote is quoted, as CSV readers expect.
    private static string Field(string value)
        => value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
