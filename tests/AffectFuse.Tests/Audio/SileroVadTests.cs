using AffectFuse.Audio;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace AffectFuse.Tests.Audio;

public class SileroVadTests
{
    private const double Chunk = SileroVad.ChunkSamples / (double)SileroVad.SampleRate; // 32 ms

    /// <summary>espeak-ng speech resampled to 16 kHz mono float32 by ffmpeg.</summary>
    internal static float[] Speech(string text)
    {
        using var folder = new TempFolder();
        string wav = folder.File("speech.wav"), raw = folder.File("speech.f32");
        AudioTestKit.Run("espeak-ng", "-w", wav, text);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", wav, "-ac", "1", "-ar", "16000", "-f", "f32le", raw);
        return AudioTestKit.ReadF32(raw);
    }

    [Fact]
    public void SpeechScoresHighAndInsertedSilenceLow()
    {
        float[] speech = Speech("The quick brown fox jumps over the lazy dog, and then it runs away very fast.");
        float[] signal = AudioTestKit.Concat(AudioTestKit.Silence(1.0), speech, AudioTestKit.Silence(2.0), speech);
        using var vad = SileroVad.Open(AudioTestKit.Models());
        float[] p = vad.SpeechProbabilities(signal);
        Assert.Equal((signal.Length + SileroVad.ChunkSamples - 1) / SileroVad.ChunkSamples, p.Length);

        double speechSeconds = speech.Length / (double)SileroVad.SampleRate;
        double Mean(double from, double to) =>
            Enumerable.Range((int)Math.Ceiling(from / Chunk), (int)Math.Floor(to / Chunk) - (int)Math.Ceiling(from / Chunk)).Average(j => p[j]);

        double leading = Mean(0.1, 0.9);
        double first = Mean(1.0 + 0.2, 1.0 + speechSeconds - 0.2);
        double gap = Mean(1.0 + speechSeconds + 0.5, 1.0 + speechSeconds + 1.8);
        double second = Mean(3.0 + speechSeconds + 0.2, 3.0 + 2 * speechSeconds - 0.2);
        Assert.True(first > 0.6, $"mean speech probability in speech {first:F3}");
        Assert.True(second > 0.6, $"mean speech probability in speech {second:F3}");
        Assert.True(gap < 0.1, $"mean speech probability in the inserted silence {gap:F3}");
        Assert.True(leading < 0.1, $"mean speech probability in leading silence {leading:F3}");
    }

    [Fact]
    public void SilenceIsNotSpeech()
    {
        using var vad = SileroVad.Open(AudioTestKit.Models());
        Assert.All(vad.SpeechProbabilities(AudioTestKit.Silence(1.0)), v => Assert.True(v < 0.05, $"silence scored {v}"));
    }

    [Fact]
    public void StreamingInOddChunksEqualsOneShotAndCarriesState()
    {
        float[] signal = AudioTestKit.Concat(Speech("Hello there, how are you today?"), AudioTestKit.Silence(0.3));
        using var vad = SileroVad.Open(AudioTestKit.Models());
        float[] oneShot = vad.SpeechProbabilities(signal);

        var stream = vad.CreateStream();
        var streamed = new List<float>();
        for (int start = 0; start < signal.Length; start += 777)
            stream.Push(signal.AsSpan(start, Math.Min(777, signal.Length - start)), streamed.Add);
        stream.Finish(streamed.Add);
        Assert.Equal(oneShot, streamed.ToArray());
        Assert.Equal(oneShot.Length, stream.ChunksProduced);

        // The recurrent state and context matter: a chunk evaluated from a fresh state scores differently.
        int j = oneShot.Length / 2;
        float fresh = vad.SpeechProbabilities(signal.AsSpan(j * SileroVad.ChunkSamples, SileroVad.ChunkSamples))[0];
        Assert.NotEqual(oneShot[j], fresh);
    }

    [Fact]
    public void MatchesTheOfficialWrapperLoopOfContextStateAndChunk()
    {
        // silero-vad's OnnxWrapper, re-stated with ONNX Runtime's plain API: x = [last 64 samples of the previous
        // chunk (zeros at first), 512 new samples]; state carried; sr a scalar int64.
        float[] signal = AudioTestKit.Concat(Speech("Testing one two three."), AudioTestKit.Silence(0.2));
        string modelPath = AudioTestKit.Models().SileroVad;
        using var session = new InferenceSession(modelPath);
        var state = new DenseTensor<float>(new[] { 2, 1, 128 });
        var context = new float[64];
        var expected = new List<float>();
        for (int start = 0; start + 512 <= signal.Length; start += 512)
        {
            float[] x = context.Concat(signal.Skip(start).Take(512)).ToArray();
            using var outputs = session.Run(
            [
                NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(x, new[] { 1, 576 })),
                NamedOnnxValue.CreateFromTensor("state", state),
                NamedOnnxValue.CreateFromTensor("sr", new DenseTensor<long>(new long[] { 16000 }, Array.Empty<int>())),
            ]);
            expected.Add(outputs.First(o => o.Name == "output").AsTensor<float>().GetValue(0));
            state = (DenseTensor<float>)outputs.First(o => o.Name == "stateN").AsTensor<float>().Clone();
            context = x[^64..];
        }

        // One pass of the model is the wrapper's loop; the stream's second, slowed pass is tested on its own below.
        using var vad = new SileroVad(modelPath);
        var pass = new SileroVadPass(vad);
        var passProbabilities = new List<float>();
        pass.Push(signal.AsSpan(0, expected.Count * 512), passProbabilities.Add);
        float[] actual = passProbabilities.ToArray();
        Assert.Equal(expected.Count, actual.Length);
        for (int j = 0; j < actual.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) < 1e-6, $"chunk {j}: {actual[j]} vs reference {expected[j]}");
    }

    /// <summary>Screamed speech: espeak-ng raised to a fundamental of about 480 Hz with its formants kept (rubberband),
    /// then pushed to a peak of 0.9. Measured: one pass of the model scores it at most 0.27 (no chunk at 0.5), as it does
    /// RAVDESS's screamed utterances (0.49 after half a second of silence); with the slowed pass 0.99, and 84 % of the
    /// chunks reach 0.5.</summary>
    internal static float[] ScreamedSpeech(string text)
    {
        using var folder = new TempFolder();
        string wav = folder.File("speech.wav"), raw = folder.File("screamed.f32");
        AudioTestKit.Run("espeak-ng", "-w", wav, text);
        AudioTestKit.Run("ffmpeg", "-v", "error", "-i", wav, "-af", "rubberband=pitch=5:formant=preserved,volume=12dB,alimiter=limit=0.9:level=false",
            "-ac", "1", "-ar", "16000", "-f", "f32le", raw);
        return AudioTestKit.ReadF32(raw);
    }

    [Fact]
    public void ScreamedSpeechIsHeard()
    {
        float[] screamed = ScreamedSpeech("Kids are talking by the door, and the dogs are sitting by the door.");
        float[] signal = AudioTestKit.Concat(AudioTestKit.Silence(0.5), screamed, AudioTestKit.Silence(0.5));
        using var vad = SileroVad.Open(AudioTestKit.Models());
        float[] p = vad.SpeechProbabilities(signal);
        int first = (int)Math.Ceiling(0.5 / Chunk), last = (int)Math.Floor((0.5 + screamed.Length / (double)SileroVad.SampleRate) / Chunk);
        double heard = p[first..last].Count(v => v >= 0.5f) / (double)(last - first);
        Assert.True(heard > 0.5, $"share of screamed chunks heard as speech {heard:F3}");
        Assert.All(p[..(first - 2)], v => Assert.True(v < 0.1, $"leading silence scored {v}"));
    }

    [Fact]
    public void SlowedPlaybackInterpolatesAndDoesNotDependOnChunking()
    {
        var whole = new SlowedPlayback();
        float[] x = [1f, 4f, -2f, 0.5f];
        float[] y = new float[3 * x.Length];
        whole.Play(x, y);
        Assert.Equal([1 / 3f, 2 / 3f, 1f, 2f, 3f, 4f, 2f, 0f, -2f, -7 / 6f, -1 / 3f, 0.5f], y, (a, b) => Math.Abs(a - b) < 1e-6);

        var split = new SlowedPlayback();
        float[] z = new float[y.Length];
        split.Play(x.AsSpan(0, 1), z.AsSpan(0, 3));
        split.Play(x.AsSpan(1), z.AsSpan(3));
        Assert.Equal(y, z);
    }

    [Fact]
    public void MissingModelFileIsAClearError()
    {
        var e = Assert.Throws<AffectFuseException>(() => new SileroVad("/nonexistent/silero_vad.onnx"));
        Assert.Equal("/nonexistent/silero_vad.onnx", e.File);
    }
}
