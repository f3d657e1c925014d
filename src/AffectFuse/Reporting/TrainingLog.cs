using System.Globalization;
using System.Text;
using AffectFuse.IO;
using AffectFuse.Training;

namespace AffectFuse.Reporting;

/// <summary>The training log CSV, one <see cref="EpochRecord"/> per line; every change rewrites the file atomically.</summary>
internal static class TrainingLog
{
    /// <summary>The header line.</summary>
    public const string Header = "epoch,train_loss,validation_loss,validation_macro_f1,validation_accuracy,learning_rate,seconds";

    /// <summary>Replaces the log with <paramref name="records"/>.</summary>
    public static void Write(string path, IEnumerable<EpochRecord> records)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in records)
            text.Append(Format(r)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Adds <paramref name="record"/>, replacing a logged record of the same epoch (a resumed run repeats it).</summary>
    public static void Append(string path, EpochRecord record)
    {
        var records = File.Exists(path) ? Read(path).Where(r => r.Epoch != record.Epoch).ToList() : [];
        records.Add(record);
        Write(path, records.OrderBy(r => r.Epoch));
    }

    /// <summary>Reads a log; a bad header or line is an <see cref="AffectFuseException"/> naming the file and line.</summary>
    public static IReadOnlyList<EpochRecord> Read(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException e) { throw new AffectFuseException(path, $"cannot read the training log ({e.Message})", e); }
        if (lines.Length == 0 || lines[0].Trim() != Header)
            throw new AffectFuseException(path, $"line 1: expected the header '{Header}'");
        var records = new List<EpochRecord>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            string[] f = lines[i].Split(',');
            if (f.Length != 7)
                throw new AffectFuseException(path, $"line {i + 1}: expected 7 fields, found {f.Length}");
            try
            {
                records.Add(new EpochRecord(
                    int.Parse(f[0], CultureInfo.InvariantCulture),
                    Parse(f[1]),
                    f[2].Length == 0 ? null : Parse(f[2]),
                    Parse(f[3]), Parse(f[4]), Parse(f[5]), Parse(f[6])));
            }
            catch (FormatException)
            {
                throw new AffectFuseException(path, $"line {i + 1}: '{lines[i]}' is not a valid epoch record");
            }
        }
        return records;
    }

    private static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(EpochRecord r)
    {
        var inv = CultureInfo.InvariantCulture;
        return string.Join(",",
            r.Epoch.ToString(inv),
            r.TrainLoss.ToString("R", inv),
            r.ValidationLoss?.ToString("R", inv) ?? "",
            r.ValidationMacroF1.ToString("R", inv),
            r.ValidationAccuracy.ToString("R", inv),
            r.LearningRate.ToString("R", inv),
            r.Seconds.ToString("0.###", inv));
    }
}
