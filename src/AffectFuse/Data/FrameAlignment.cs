namespace AffectFuse.Data;

/// <summary>Matches a label sequence to a video's feature frames. The organisers' frame count can exceed a
/// decoder's by one (facts.md), so small differences are absorbed at the end of the video: surplus labels are
/// dropped, missing ones become -1, always with a warning. Labels are never shifted.</summary>
internal static class FrameAlignment
{
    /// <summary>Default largest frame-count difference absorbed with a warning.</summary>
    public const int DefaultTolerance = 5;

    /// <summary>Returns labels with exactly <paramref name="featureFrames"/> entries (the same array when counts agree).
    /// A difference beyond <paramref name="tolerance"/> is an <see cref="AffectFuseException"/> naming both counts.</summary>
    public static int[] AlignLabels(int[] labels, int featureFrames, string labelFile, string featureFile,
        int tolerance = DefaultTolerance, Action<string>? warn = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        int surplus = labels.Length - featureFrames;
        if (surplus == 0) return labels;

        if (Math.Abs(surplus) > tolerance)
        {
            string relation = surplus > 0 ? "more" : "fewer";
            throw new AffectFuseException(labelFile,
                $"has {labels.Length} labelled frames but {featureFile} has {featureFrames} feature frames " +
                $"({Math.Abs(surplus)} {relation}, tolerance {tolerance}); the labels do not belong to these features");
        }

        var aligned = new int[featureFrames];
        if (surplus > 0)
        {
            Array.Copy(labels, aligned, featureFrames);
            warn?.Invoke($"{labelFile}: {labels.Length} labels for {featureFrames} feature frames in {featureFile}; " +
                         $"dropped the labels of the last {surplus} {Frames(surplus)}");
        }
        else
        {
            Array.Copy(labels, aligned, labels.Length);
            Array.Fill(aligned, ExpressionClasses.Unannotated, labels.Length, -surplus);
            warn?.Invoke($"{labelFile}: {labels.Length} labels for {featureFrames} feature frames in {featureFile}; " +
                         $"marked the last {-surplus} {Frames(-surplus)} as unannotated (-1)");
        }
        return aligned;
    }

    private static string Frames(int n) => n == 1 ? "frame" : "frames";
}
