using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Setup;

namespace AffectFuse.Benchmarks.Vad;

/// <summary>Does Silero VAD hear the speech in every recording of RAVDESS and EmoDB (all of which hold speech), and
/// no speech in silence and noise? Each recording is decoded and scored as the prosody feature group does it: the
/// project's <see cref="AudioDecoder"/> to 16 kHz, its chunks pushed through one <see cref="SileroVadStream"/>.</summary>
public static class VadBenchmark
{
    /// <summary>Speech probability counted as speech (silero-vad's default).</summary>
    public const float Threshold = 0.5f;

    /// <summary>Scores every recording under <paramref name="dataDir"/> on <paramref name="threads"/> threads;
    /// <paramref name="log"/> hears progress.</summary>
    public static VadBenchmarkReport Run(ModelStore store, string dataDir, int threads = 2, Action<string>? log = null)
    {
        if (threads < 1)
            throw new AffectFuseException(null, "bench vad: threads must be at least 1");
        var utterances = VadCorpora.Load(dataDir);
        using var vad = SileroVad.Open(store);
        var scores = new VadScore[utterances.Count];
        int done = 0;
        Parallel.For(0, utterances.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            scores[i] = Score(vad, utterances[i]);
            int n = Interlocked.Increment(ref done);
            if (n % 100 == 0 || n == utterances.Count)
                log?.Invoke($"{n}/{utterances.Count} recordings");
        });
        var corpora = scores.GroupBy(s => s.Utterance.Corpus).Select(g => VadCorpusReport.Of(g.Key, g.ToList())).ToList();
        log?.Invoke("silence and noise");
        return new VadBenchmarkReport(Threshold, corpora, VadNoiseProbe.Run(vad));
    }

    /// <summary>Decodes one recording and scores it as the feature path does.</summary>
    public static VadScore Score(SileroVad vad, VadUtterance utterance)
    {
        using var reader = new AudioDecoder().Open(utterance.Path)
            ?? throw new AffectFuseException(utterance.Path, "no audio track");
        var stream = vad.CreateStream();
        var probabilities = new List<float>();
        var level = new LevelMeter();
        foreach (float[] chunk in reader.ReadChunks(new AudioFeatureOptions().DecoderChunkSamples))
        {
            level.Add(chunk);
            stream.Push(chunk, probabilities.Add);
        }
        stream.Finish(probabilities.Add);
        if (probabilities.Count == 0)
            throw new AffectFuseException(utterance.Path, "no samples");
        return new VadScore(utterance, probabilities.Max(), probabilities.Count(p => p >= Threshold) / (double)probabilities.Count,
            probabilities.Count, level.Peak, level.RmsDbfs, level.Clipped);
    }
}
