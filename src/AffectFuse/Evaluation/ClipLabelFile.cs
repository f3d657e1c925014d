using System.Globalization;

namespace AffectFuse.Evaluation;

/// <summary>One clip's label from a clip label file.</summary>
/// <param name="Clip">The clip as the file names it (a file name without extension, or a path relative to the folder).</param>
/// <param name="Label">The class, 0..7.</param>
/// <param name="Line">The line it is on (1-based), for messages.</param>
internal sealed record ClipLabel(string Clip, int Label, int Line);

/// <summary>Reads a clip label file: a CSV of <c>clip,label</c> lines (an optional header whose second column is
/// <c>label</c>, <c>emotion</c>, <c>class</c> or <c>expression</c>; blank lines skipped). A label is one of the eight
/// class names, a common synonym (<c>happy</c>, <c>angry</c>, <c>calm</c> → Neutral …; see <see cref="ParseLabel"/>),
/// case-insensitive, or the class index 0–7. Most emotion corpora label whole clips.</summary>
internal static class ClipLabelFile
{
    // What corpora call the classes besides their own names: RAVDESS and similar (happy, calm…), CREMA-D's codes.
    private static readonly Dictionary<string, int> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = 0, ["calm"] = 0, ["neu"] = 0,
        ["angry"] = 1, ["ang"] = 1,
        ["disgusted"] = 2, ["dis"] = 2,
        ["fearful"] = 3, ["fea"] = 3,
        ["happy"] = 4, ["hap"] = 4,
        ["sad"] = 5,
        ["surprised"] = 6, ["sur"] = 6,
    };

    /// <summary>The labels, in file order. A missing or empty file, a line that is not <c>clip,label</c>, an unknown
    /// label or a clip named twice is an <see cref="AffectFuseException"/> naming the file and line.</summary>
    public static IReadOnlyList<ClipLabel> Read(string path)
    {
        if (!File.Exists(path))
            throw new AffectFuseException(path, Directory.Exists(path) ? "is a folder, not a clip label CSV" : "clip label file not found");
        var labels = new List<ClipLabel>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            if (raw.Trim().Length == 0 || (labels.Count == 0 && IsHeader(raw)))
                continue;
            var label = ParseLine(path, raw, number);
            if (!lines.TryAdd(label.Clip, number))
                throw new AffectFuseException(path, $"line {number}: clip '{label.Clip}' is already labelled on line {lines[label.Clip]}");
            labels.Add(label);
        }
        if (labels.Count == 0)
            throw new AffectFuseException(path, "holds no clip labels (expected lines of clip,label)");
        return labels;
    }

    /// <summary>The class a label names: a class name or synonym (case-insensitive) or an index 0–7; null when none.</summary>
    public static int? ParseLabel(string text)
    {
        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return index < ExpressionClasses.Count ? index : null;
        for (int c = 0; c < ExpressionClasses.Count; c++)
            if (string.Equals(text, ExpressionClasses.Names[c], StringComparison.OrdinalIgnoreCase))
                return c;
        return Synonyms.TryGetValue(text, out int synonym) ? synonym : null;
    }

    // The label is after the last comma, so a clip name may hold commas.
    private static ClipLabel ParseLine(string path, string line, int number)
    {
        int comma = line.LastIndexOf(',');
        string clip = comma < 0 ? "" : Unquote(line[..comma]);
        if (clip.Length == 0)
            throw new AffectFuseException(path, $"line {number}: '{line.Trim()}' is not clip,label");
        string label = Unquote(line[(comma + 1)..]);
        int value = ParseLabel(label) ?? throw new AffectFuseException(path,
            $"line {number}: unknown label '{label}' (one of {string.Join(", ", ExpressionClasses.Names)}, a synonym such as happy or calm, or 0-{ExpressionClasses.Count - 1})");
        return new ClipLabel(clip, value, number);
    }

    // A header names its label column; any other first line with an unknown label is an error, not skipped.
    private static bool IsHeader(string line)
        => HeaderWords.Contains(Unquote(line[(line.LastIndexOf(',') + 1)..]));

    private static readonly HashSet<string> HeaderWords = new(StringComparer.OrdinalIgnoreCase) { "label", "emotion", "class", "expression" };

    private static string Unquote(string field)
    {
        field = field.Trim();
        return field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Trim() : field;
    }
}
