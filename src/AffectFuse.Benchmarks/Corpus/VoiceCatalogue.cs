using AffectFuse.Benchmarks.Compose;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>Every labelled utterance of EmoDB (<c>emodb/wav</c>) and RAVDESS (<c>ravdess_speech/labels.csv</c>), each
/// assigned to a split by its speaker.</summary>
public static class VoiceCatalogue
{
    /// <summary>RAVDESS emotion names mapped to Aff-Wild2 classes (calm is Neutral, as the data README says).</summary>
    public static readonly IReadOnlyDictionary<string, int> RavdessEmotions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = 0, ["calm"] = 0, ["angry"] = 1, ["disgust"] = 2, ["fearful"] = 3, ["happy"] = 4, ["sad"] = 5, ["surprised"] = 6,
    };

    /// <summary>Both corpora's recordings under <paramref name="dataDir"/>, EmoDB first, each in file order.</summary>
    public static IReadOnlyList<VoiceRecording> Load(string dataDir, CorpusOptions options)
    {
        var emodb = UtteranceCatalogue.Load(Path.Combine(dataDir, "emodb"));
        var list = emodb.Utterances
            .Select(u => new VoiceRecording("emodb", emodb.PathOf(u), u.Speaker, u.Class, SplitOf(u.Speaker, options.EmodbValidationSpeakers, options.EmodbTestSpeakers)))
            .ToList();
        list.AddRange(LoadRavdess(Path.Combine(dataDir, "ravdess_speech"), options));
        return list;
    }

    private static IEnumerable<VoiceRecording> LoadRavdess(string dir, CorpusOptions options)
    {
        string csv = Path.Combine(dir, "labels.csv");
        if (!File.Exists(csv))
            throw new AffectFuseException(csv, "RAVDESS label file not found (expected columns path,actor,sex,emotion,…)");
        string[] lines = File.ReadAllLines(csv);
        string[] header = lines.Length > 0 ? lines[0].TrimStart('\uFEFF').Split(',') : [];
        int pathCol = Array.IndexOf(header, "path"), actorCol = Array.IndexOf(header, "actor"), emotionCol = Array.IndexOf(header, "emotion");
        if (pathCol < 0 || actorCol < 0 || emotionCol < 0)
            throw new AffectFuseException(csv, "line 1: expected the columns path, actor and emotion");
        string[] validation = options.RavdessValidationActors.Select(a => a.ToString("00")).ToArray();
        string[] test = options.RavdessTestActors.Select(a => a.ToString("00")).ToArray();
        for (int n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0) continue;
            string[] f = lines[n].Split(',');
            if (f.Length != header.Length)
                throw new AffectFuseException(csv, $"line {n + 1}: {f.Length} fields, expected {header.Length}");
            if (!RavdessEmotions.TryGetValue(f[emotionCol], out int cls))
                throw new AffectFuseException(csv, $"line {n + 1}: unknown emotion '{f[emotionCol]}'");
            string path = Path.Combine(dir, f[pathCol]);
            if (!File.Exists(path))
                throw new AffectFuseException(path, $"recording named on line {n + 1} of {csv} not found");
            string actor = f[actorCol].PadLeft(2, '0');
            yield return new VoiceRecording("ravdess", path, actor, cls, SplitOf(actor, validation, test));
        }
    }

    private static ComposeSplit SplitOf(string speaker, IReadOnlyList<string> validation, IReadOnlyList<string> test)
        => test.Contains(speaker) ? ComposeSplit.Test : validation.Contains(speaker) ? ComposeSplit.Validation : ComposeSplit.Train;
}
