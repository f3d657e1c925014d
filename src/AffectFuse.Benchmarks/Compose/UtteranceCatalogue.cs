using AffectFuse.Audio;
namespace AffectFuse.Benchmarks.Compose;

/// <summary>The EmoDB recordings of <c>emodb/wav</c>, named <c>SSTTTEV.wav</c> (speaker, text, emotion letter, take).</summary>
public sealed class UtteranceCatalogue
{
    /// <summary>EmoDB's German emotion letters mapped to Aff-Wild2 classes (no surprise in EmoDB; boredom → Other).</summary>
    public static readonly IReadOnlyDictionary<char, int> EmotionLetters = new Dictionary<char, int>
    {
        ['N'] = 0, ['W'] = 1, ['E'] = 2, ['A'] = 3, ['F'] = 4, ['T'] = 5, ['L'] = 7,
    };

    /// <summary>Folder holding the WAV files.</summary>
    public string WavDir { get; }

    /// <summary>Sample rate shared by every recording; the clip's audio is mixed at this rate.</summary>
    public int SampleRate { get; }

    /// <summary>Every recording, sorted by file name.</summary>
    public IReadOnlyList<Utterance> Utterances { get; }

    private UtteranceCatalogue(string wavDir, int sampleRate, IReadOnlyList<Utterance> utterances)
    {
        WavDir = wavDir;
        SampleRate = sampleRate;
        Utterances = utterances;
    }

    /// <summary>Full path of a recording.</summary>
    public string PathOf(Utterance u) => Path.Combine(WavDir, u.File);

    /// <summary>Reads the names and headers of every <c>*.wav</c> in <c>EMODB/wav</c>.</summary>
    public static UtteranceCatalogue Load(string emodbDir)
    {
        string wavDir = Path.Combine(emodbDir, "wav");
        if (!Directory.Exists(wavDir))
            throw new AffectFuseException(wavDir, "EmoDB wav folder not found");
        var list = new List<Utterance>();
        int rate = 0;
        foreach (string path in Directory.EnumerateFiles(wavDir, "*.wav").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name.Length != 11 || !char.IsAsciiDigit(name[0]) || !char.IsAsciiDigit(name[1]) || !EmotionLetters.TryGetValue(name[5], out int cls))
                throw new AffectFuseException(path, "not an EmoDB name SSTTTEV.wav (speaker, text, emotion letter N/W/E/A/F/T/L, take)");
            var info = WavFile.ReadInfo(path);
            if (rate == 0) rate = info.SampleRate;
            else if (info.SampleRate != rate)
                throw new AffectFuseException(path, $"sample rate {info.SampleRate} Hz differs from the other recordings' {rate} Hz");
            if (info.Frames == 0)
                throw new AffectFuseException(path, "WAV file has no samples");
            list.Add(new Utterance(name, name[..2], cls, info.Seconds));
        }
        if (list.Count == 0)
            throw new AffectFuseException(wavDir, "no .wav files");
        return new UtteranceCatalogue(wavDir, rate, list);
    }
}
