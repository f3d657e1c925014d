using System.Globalization;
using System.Text;
using AffectFuse.IO;

namespace AffectFuse.Data;

/// <summary>Aff-Wild2 EXPR annotation files: a header line, then one label (-1..7) per frame.</summary>
internal static class ExprLabelFile
{
    /// <summary>The file extension.</summary>
    public const string Extension = ".txt";

    /// <summary>Reads labels; a bad header or line is an <see cref="AffectFuseException"/> naming file and line.
    /// Tolerates a UTF-8 byte-order mark, CRLF line ends, spaces around values and trailing blank lines.</summary>
    public static int[] Read(string path)
    {
        string text;
        try
        {
            // detectEncodingFromByteOrderMarks strips a BOM if present.
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (FileNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }

        string[] lines = text.Split('\n');
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0) count--;
        if (count == 0)
            throw new AffectFuseException(path, $"file is empty; expected the header line '{ExpressionClasses.Header}' and one label per frame");

        if (!IsHeader(lines[0]))
            throw new AffectFuseException(path, $"line 1: expected the header '{ExpressionClasses.Header}', found '{Shorten(lines[0].Trim())}'");
        if (count == 1)
            throw new AffectFuseException(path, "no frames: the file has only the header line");

        var labels = new int[count - 1];
        for (int i = 1; i < count; i++)
        {
            string value = lines[i].Trim();
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label))
                throw new AffectFuseException(path, $"line {i + 1}: '{Shorten(value)}' is not an integer label (-1..{ExpressionClasses.Count - 1})");
            if (label < ExpressionClasses.Unannotated || label >= ExpressionClasses.Count)
                throw new AffectFuseException(path, $"line {i + 1}: label {label} is outside -1..{ExpressionClasses.Count - 1}");
            labels[i - 1] = label;
        }
        return labels;
    }

    /// <summary>Writes atomically, in the organisers' format (header, then one label per line, '\n' line ends).</summary>
    public static void Write(string path, IReadOnlyList<int> labels)
    {
        if (labels.Count == 0)
            throw new ArgumentException("an annotation file needs at least one frame", nameof(labels));
        var text = new StringBuilder(ExpressionClasses.Header.Length + 1 + labels.Count * 3);
        text.Append(ExpressionClasses.Header).Append('\n');
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if (label < ExpressionClasses.Unannotated || label >= ExpressionClasses.Count)
                throw new ArgumentOutOfRangeException(nameof(labels), $"frame {i}: label {label} is outside -1..{ExpressionClasses.Count - 1}");
            text.Append(label.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static bool IsHeader(string line)
    {
        string[] names = line.Trim().Split(',');
        return names.Length == ExpressionClasses.Count
            && names.Select(n => n.Trim()).SequenceEqual(ExpressionClasses.Names, StringComparer.OrdinalIgnoreCase);
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
