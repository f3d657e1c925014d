namespace AffectFuse.Benchmarks.Vad;

/// <summary>Lists the RAVDESS (<c>ravdess_speech/labels.csv</c>) and EmoDB (<c>emodb/wav/SSTTTEV.wav</c>) recordings
/// of a data folder (see ../shared/data/README.md).</summary>
public static class VadCorpora
{
    /// <summary>RAVDESS's corpus name in reports.</summary>
    public const string Ravdess = "RAVDESS";

    /// <summary>EmoDB's corpus name in reports.</summary>
    public const string EmoDb = "EmoDB";

    // EmoDB's emotion letter (6th character of the name) in English.
    private static readonly IReadOnlyDictionary<char, string> EmoDbEmotions = new Dictionary<char, string>
    {
        ['N'] = "neutral", ['W'] = "anger", ['E'] = "disgust", ['A'] = "fear", ['F'] = "happiness", ['T'] = "sadness", ['L'] = "boredom",
    };

    /// <summary>Every RAVDESS then every EmoDB recording, each in file order; a corpus whose folder is missing is an error.</summary>
    public static IReadOnlyList<VadUtterance> Load(string dataDir) => [.. LoadRavdess(Path.Combine(dataDir, "ravdess_speech")), .. LoadEmoDb(Path.Combine(dataDir, "emodb"))];

    internal static IReadOnlyList<VadUtterance> LoadRavdess(string dir)
    {
        string labels = Path.Combine(dir, "labels.csv");
        if (!File.Exists(labels))
            throw new AffectFuseException(labels, "RAVDESS labels not found");
        string[] lines = File.ReadAllLines(labels);
        string[] header = lines.Length > 0 ? lines[0].Split(',') : [];
        int path = Array.IndexOf(header, "path"), emotion = Array.IndexOf(header, "emotion"), intensity = Array.IndexOf(header, "intensity");
        if (path < 0 || emotion < 0 || intensity < 0)
            throw new AffectFuseException(labels, "header must name path, emotion and intensity");
        var list = new List<VadUtterance>();
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            string[] f = line.Split(',');
            if (f.Length != header.Length)
                throw new AffectFuseException(labels, $"line '{line}' has {f.Length} fields, the header {header.Length}");
            list.Add(new VadUtterance(Ravdess, Path.Combine(dir, f[path]), f[emotion], f[intensity]));
        }
        return list;
    }

    internal static IReadOnlyList<VadUtterance> LoadEmoDb(string dir)
    {
        string wav = Path.Combine(dir, "wav");
        if (!Directory.Exists(wav))
            throw new AffectFuseException(wav, "EmoDB wav folder not found");
        var list = new List<VadUtterance>();
        foreach (string file in Directory.EnumerateFiles(wav, "*.wav").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name.Length != 11 || !EmoDbEmotions.TryGetValue(name[5], out string? emotion))
                throw new AffectFuseException(file, "not an EmoDB name SSTTTEV.wav");
            list.Add(new VadUtterance(EmoDb, file, emotion, null));
        }
        return list;
    }
}
