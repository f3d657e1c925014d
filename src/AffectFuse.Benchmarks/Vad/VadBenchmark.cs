using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Setup;

namespace AffectFuse.Benchmarks.Vad;

/// <summary>Does Silero VAD hear the speech in every recording of RAVDESS and EmoDB (all of which hold speech), and
/// no speech in silence and noise? Each recording is decoded and scored as the prosody feature group does it: the
/// project's <see cref="AudioDecoder"/> to 16 kHz, its chunks pushed through one <see cref="SileroVadStream"/>.</summary>
internal static class VadBenchmark
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

    /// <summary>Video frame rate at which the VAD column is read (RAVDESS's videos run at 29.97 fps).</summary>
    public const double Fps = 30;

    /// <summary>Decodes one recording and scores it as the feature path does: the chunk probabilities from one
    /// <see cref="SileroVadStream"/>, the frames' VAD column (what <c>speech_probability</c> reports) from the prosody
    /// group's extractor over the same PCM.</summary>
    public static VadScore Score(SileroVad vad, VadUtterance utterance)
    {
        var options = new AudioFeatureOptions { Groups = AudioFeatureGroups.Prosody };
        List<float[]> pcm;
        using (var reader = new AudioDecoder().Open(utterance.Path) ?? throw new AffectFuseException(utterance.Path, "no audio track"))
            pcm = [.. reader.ReadChunks(options.DecoderChunkSamples)];
        var level = new LevelMeter();
        var stream = vad.CreateStream();
        var probabilities = new List<float>();
        foreach (float[] chunk in pcm)
        {
            level.Add(chunk);
            stream.Push(chunk, probabilities.Add);
        }
        stream.Finish(probabilities.Add);
        if (probabilities.Count == 0)
            throw new AffectFuseException(utterance.Path, "no samples");
        return new VadScore(utterance, probabilities.Max(), probabilities.Count(p => p >= Threshold) / (double)probabilities.Count,
            probabilities.Count, MaxFrameProbability(vad, options, pcm, level.Samples), level.Peak, level.RmsDbfs, level.Clipped);
    }

    // Highest VAD column over the frames of a video at Fps covering the recording.
    private static float MaxFrameProbability(SileroVad vad, AudioFeatureOptions options, List<float[]> pcm, long samples)
    {
        int frames = Math.Max(1, (int)Math.Ceiling(samples / (double)AudioDecoder.SampleRate * Fps));
        var timestamps = Enumerable.Range(0, frames).Select(i => i / Fps).ToArray();
        using var extractor = new AudioFeatureExtractor(vad, options);
        var matrix = extractor.Extract(pcm, timestamps);
        float max = 0;
        for (int i = 0; i < matrix.FrameCount; i++)
        {
            if (matrix.Mask[i])
                max = Math.Max(max, matrix.Row(i)[AudioFeatureLayout.VadColumn]);
        }
        return max;
    }
}
