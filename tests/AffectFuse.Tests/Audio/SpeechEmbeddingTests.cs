using System.Text.Json;
using AffectFuse.Audio;
using Xunit;
using Xunit.Abstractions;
using E = AffectFuse.Audio.SpeechEmbedding;
using L = AffectFuse.Audio.AudioFeatureLayout;

namespace AffectFuse.Tests.Audio;

/// <summary>One pair of speech-embedding sessions and the onnxruntime-node reference for the class.</summary>
public sealed class SpeechEmbeddingFixture : IDisposable
{
    internal E Model { get; } = E.Open(AudioTestKit.Models());

    public OpenWakeWordReference Reference { get; } = OpenWakeWordReference.Load();

    public void Dispose() => Model.Dispose();
}

/// <summary>tools/openwakeword-reference's fixture: the signal, mel slices and embeddings from onnxruntime-node.</summary>
public sealed record OpenWakeWordReference(float[] Pcm, int MelFrames, (int Start, float[][] Frames)[] MelSlices, float[][] Embeddings, float[][] EmbeddingsBatched)
{
    public static OpenWakeWordReference Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "openwakeword-reference.json")));
        var root = json.RootElement;
        byte[] bytes = Convert.FromBase64String(root.GetProperty("pcmInt16Base64").GetString()!);
        var pcm = new float[bytes.Length / 2];
        for (int i = 0; i < pcm.Length; i++)
            pcm[i] = BitConverter.ToInt16(bytes, 2 * i) / E.PcmScale;
        static float[][] Rows(JsonElement e) => e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        var slices = root.GetProperty("melSlices").EnumerateArray()
            .Select(s => (s.GetProperty("start").GetInt32(), Rows(s.GetProperty("frames")))).ToArray();
        return new OpenWakeWordReference(pcm, root.GetProperty("melFrames").GetInt32(), slices, Rows(root.GetProperty("embeddings")),
            Rows(root.GetProperty("embeddingsBatched")));
    }
}

public class SpeechEmbeddingTests : IClassFixture<SpeechEmbeddingFixture>
{
    // Against onnxruntime-node 1.30.0 (same MLAS kernels as our 1.31.1) the mel frames and the one-window-per-run
    // embeddings measured bit-identical (max |diff| 0; values reach 12 and 60); the bars leave room for another
    // runtime or CPU. Node's all-windows-in-one-batch embeddings measured identical to its one-window runs too.
    private const double MelBar = 1e-4;
    private const double EmbeddingBar = 2e-4;
    private const double BatchedEmbeddingBar = 2e-4;

    private readonly E _model;
    private readonly OpenWakeWordReference _reference;
    private readonly ITestOutputHelper _output;

    public SpeechEmbeddingTests(SpeechEmbeddingFixture fixture, ITestOutputHelper output)
    {
        _model = fixture.Model;
        _reference = fixture.Reference;
        _output = output;
    }

    private static float[][] Streamed(E model, float[] pcm, int chunk, List<long>? emittedAtSample = null, int advance = SpeechEmbeddingStream.FileAdvance)
    {
        using var stream = model.CreateStream(advance);
        var rows = new List<float[]>();
        SpeechEmbeddingHandler onEmbedding = (j, e) =>
        {
            Assert.Equal(rows.Count, j);
            rows.Add(e.ToArray());
            emittedAtSample?.Add(stream.SamplesPushed);
        };
        for (int start = 0; start < pcm.Length; start += chunk)
            stream.Push(pcm.AsSpan(start, Math.Min(chunk, pcm.Length - start)), onEmbedding);
        stream.Finish(onEmbedding);
        Assert.Equal(rows.Count, stream.EmbeddingsProduced);
        Assert.Equal(E.MelFrameCount(pcm.Length), stream.MelFramesProduced);
        return rows.ToArray();
    }

    private static float[][] Rows(float[] flat, int width) =>
        Enumerable.Range(0, flat.Length / width).Select(i => flat[(i * width)..((i + 1) * width)]).ToArray();

    [Fact]
    public void BatchPathMatchesOnnxRuntimeNode()
    {
        Assert.Equal(_reference.MelFrames, E.MelFrameCount(_reference.Pcm.Length));
        float[][] mel = Rows(_model.MelSpectrogram(_reference.Pcm), E.MelBins);
        Assert.Equal(_reference.MelFrames, mel.Length);
        double melDiff = 0, melScale = 0;
        foreach (var (start, frames) in _reference.MelSlices)
        {
            for (int f = 0; f < frames.Length; f++)
            {
                for (int b = 0; b < E.MelBins; b++)
                {
                    melDiff = Math.Max(melDiff, Math.Abs(mel[start + f][b] - frames[f][b]));
                    melScale = Math.Max(melScale, Math.Abs(frames[f][b]));
                }
            }
        }

        float[][] embeddings = Rows(_model.Embed(_reference.Pcm), E.Dim);
        Assert.Equal(_reference.Embeddings.Length, embeddings.Length);
        Assert.Equal(_reference.Embeddings.Length, E.EmbeddingCount(_reference.Pcm.Length));
        double embeddingDiff = 0, embeddingScale = 0;
        for (int j = 0; j < embeddings.Length; j++)
        {
            for (int c = 0; c < E.Dim; c++)
            {
                embeddingDiff = Math.Max(embeddingDiff, Math.Abs(embeddings[j][c] - _reference.Embeddings[j][c]));
                embeddingScale = Math.Max(embeddingScale, Math.Abs(_reference.Embeddings[j][c]));
            }
        }
        double batchedDiff = 0;
        for (int j = 0; j < embeddings.Length; j++)
            for (int c = 0; c < E.Dim; c++)
                batchedDiff = Math.Max(batchedDiff, Math.Abs(embeddings[j][c] - _reference.EmbeddingsBatched[j][c]));
        _output.WriteLine($"mel: max |diff| {melDiff:E3} (max |value| {melScale:F3}, bar {MelBar:E0}); " +
                          $"embeddings: max |diff| {embeddingDiff:E3} (max |value| {embeddingScale:F3}, bar {EmbeddingBar:E0}); " +
                          $"vs node's one-batch embeddings: {batchedDiff:E3} (bar {BatchedEmbeddingBar:E0})");
        Assert.True(melDiff <= MelBar, $"mel differs from onnxruntime-node by {melDiff}");
        Assert.True(embeddingDiff <= EmbeddingBar, $"embeddings differ from onnxruntime-node by {embeddingDiff}");
        Assert.True(batchedDiff <= BatchedEmbeddingBar, $"embeddings differ from onnxruntime-node's batched ones by {batchedDiff}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(777)]
    [InlineData(16000)]
    [InlineData(13152)]
    [InlineData(12800)]
    public void StreamingInAnyChunksEqualsTheBatchPath(int chunk)
    {
        // Odd length: the tail is neither a mel block nor a whole window.
        float[] pcm = AudioTestKit.Concat(_reference.Pcm, _reference.Pcm.AsSpan(0, 2345).ToArray());
        float[][] batch = Rows(_model.Embed(pcm), E.Dim);
        var emittedAt = new List<long>();
        float[][] streamed = Streamed(_model, pcm, chunk, emittedAt);
        Assert.Equal(batch.Length, streamed.Length);
        double diff = 0;
        for (int j = 0; j < batch.Length; j++)
            for (int c = 0; c < E.Dim; c++)
                diff = Math.Max(diff, Math.Abs(batch[j][c] - streamed[j][c]));
        _output.WriteLine($"chunk {chunk}: {streamed.Length} embeddings, max |streamed - batch| {diff:E3}");
        Assert.Equal(0, diff);
        // Each embedding comes no later than the chunk that completes the 80-frame mel block holding its last frame.
        for (int j = 0; j < emittedAt.Count - 1; j++)
            Assert.True(emittedAt[j] < E.StartSample(j) + E.WindowSamples + 80 * E.HopSamples + chunk, $"embedding {j} emitted at sample {emittedAt[j]}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(375)]
    [InlineData(16000)]
    public void TheLiveAdvanceGivesTheBatchBitsEachAsSoonAsItsBlockRan(int chunk)
    {
        float[] pcm = AudioTestKit.Concat(_reference.Pcm, _reference.Pcm.AsSpan(0, 2345).ToArray());
        float[][] batch = Rows(_model.Embed(pcm), E.Dim);
        var emittedAt = new List<long>();
        float[][] streamed = Streamed(_model, pcm, chunk, emittedAt, SpeechEmbeddingStream.LiveAdvance);
        Assert.Equal(batch.Length, streamed.Length);
        for (int j = 0; j < batch.Length; j++)
            Assert.Equal(batch[j], streamed[j]);
        using var stream = _model.CreateStream(SpeechEmbeddingStream.LiveAdvance);
        for (int j = 0; j < emittedAt.Count - 1; j++)
        {
            long due = stream.SamplesBefore(j);
            // Emitted by the chunk that brings sample `due` and not before; at most 40 ms after its own last sample.
            Assert.True(emittedAt[j] >= due && emittedAt[j] < due + chunk, $"embedding {j} emitted at sample {emittedAt[j]}, due at {due}");
            Assert.True(due - (E.StartSample(j) + E.WindowSamples) <= 8 * E.HopSamples, $"embedding {j} due at {due}");
        }
    }

    [Fact]
    public void ALiveRowReadsNoSoundPastItsHorizonAndTheFullHorizonGivesTheFilesRow()
    {
        float[] pcm = _reference.Pcm;
        var options = new AudioFeatureOptions { Groups = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding };
        using var vad = SileroVad.Open(AudioTestKit.Models());
        using var extractor = new AudioFeatureExtractor(vad, _model, options);
        double[] ts = Enumerable.Range(0, 85).Select(i => i / 25.0).ToArray();
        var file = extractor.Extract(pcm, ts);
        var full = Live(extractor, pcm, ts, AudioFeatureStream.FullHorizonSeconds(options), chunk: 375);
        Assert.Equal(file.Mask, full.Mask);
        Assert.Equal(file.Values, full.Values);

        const double horizon = 0.2;
        var live = Live(extractor, pcm, ts, horizon, chunk: 375);
        Assert.NotEqual(file.Values, live.Values);
        // However the sound is chunked, with either group set, even where a row's horizon ends before the first frame.
        using var embeddingOnly = new AudioFeatureExtractor(null, _model, options with { Groups = AudioFeatureGroups.SpeechEmbedding });
        double[] early = [0.0, 0.01, 0.02, 0.04, 0.5, 1.0];
        foreach (var e in new[] { extractor, embeddingOnly })
            foreach (var (times, h) in new[] { (ts, horizon), (early, 0.0) })
            {
                var small = Live(e, pcm, times, h, chunk: 1);
                var large = Live(e, pcm, times, h, chunk: 4000);
                Assert.Equal(small.Mask, large.Mask);
                Assert.Equal(small.Values, large.Values);
            }
        var rng = new Random(5);
        foreach (int t in new[] { 12, 30, 47, 70 })
        {
            // Noise after the row's horizon changes nothing in it.
            var other = (float[])pcm.Clone();
            for (int i = (int)Math.Ceiling((ts[t] + horizon) * E.SampleRate); i < other.Length; i++)
                other[i] = (float)(rng.NextDouble() * 2 - 1);
            var changed = Live(extractor, other, ts[..(t + 1)], horizon, chunk: 1000);
            Assert.Equal(live.Mask[t], changed.Mask[t]);
            Assert.Equal(live.Row(t).ToArray(), changed.Row(t).ToArray());
        }
    }

    private static AudioFeatureMatrix Live(AudioFeatureExtractor extractor, float[] pcm, double[] ts, double horizon, int chunk)
    {
        var chunks = Enumerable.Range(0, (pcm.Length + chunk - 1) / chunk).Select(i => pcm[(i * chunk)..Math.Min(pcm.Length, (i + 1) * chunk)]);
        using var stream = extractor.OpenStream(chunks, horizon);
        var values = new float[ts.Length * stream.Dim];
        var mask = new bool[ts.Length];
        for (int t = 0; t < ts.Length; t++)
            mask[t] = stream.Next(ts[t], values.AsSpan(t * stream.Dim, stream.Dim));
        return new AudioFeatureMatrix(values, mask, stream.Dim);
    }

    [Fact]
    public void ShortSignalsYieldNoEmbeddings()
    {
        float[] pcm = _reference.Pcm[..(E.WindowSamples - 1)];
        Assert.Empty(_model.Embed(pcm));
        Assert.Empty(Streamed(_model, pcm, 500));
        Assert.Single(Streamed(_model, _reference.Pcm[..E.WindowSamples], 500));
        Assert.Empty(Streamed(_model, [], 1));
    }

    [Fact]
    public void TimeMappingFollowsTheWindowGrid()
    {
        Assert.Equal(12512, E.WindowSamples);
        Assert.Equal(0.391, E.CentreSeconds(0), 12);
        Assert.Equal(0.391 + 0.08 * 10, E.CentreSeconds(10), 12);
        Assert.Equal(297, E.MelFrameCount(48000));
        Assert.Equal(28, E.EmbeddingCount(48000));
        Assert.Equal(0, E.EmbeddingCount(12511));
        Assert.Equal(1, E.EmbeddingCount(12512));
        Assert.Equal(2, E.EmbeddingCount(12512 + 1280));
    }

    [Fact]
    public void PooledColumnsAreTheMeanOfEmbeddingsCentredInTheWindowElseTheNearest()
    {
        float[] pcm = _reference.Pcm;
        float[][] embeddings = Rows(_model.Embed(pcm), E.Dim);
        double duration = pcm.Length / (double)E.SampleRate;
        double[] ts = [0.0, 0.2, 0.64, 1.0, 1.5, 2.3, 2.76, 2.9, 3.0, 3.5];
        foreach (double half in new[] { 0.25, 0.02 })
        {
            var options = new AudioFeatureOptions { HalfWindowSeconds = half, Groups = AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding };
            using var vad = SileroVad.Open(AudioTestKit.Models());
            using var extractor = new AudioFeatureExtractor(vad, _model, options);
            var both = extractor.Extract(pcm, ts);
            Assert.Equal(L.Dim + E.Dim, both.Dim);
            using var embeddingOnly = new AudioFeatureExtractor(null, _model, options with { Groups = AudioFeatureGroups.SpeechEmbedding });
            var alone = embeddingOnly.Extract(pcm, ts);
            using var prosodyOnly = new AudioFeatureExtractor(vad, options with { Groups = AudioFeatureGroups.Prosody });
            var prosody = prosodyOnly.Extract(pcm, ts);
            Assert.Equal(prosody.Mask, both.Mask);
            Assert.Equal(prosody.Mask, alone.Mask);
            for (int t = 0; t < ts.Length; t++)
            {
                Assert.Equal(ts[t] <= duration, both.Mask[t]);
                Assert.Equal(prosody.Row(t).ToArray(), both.Row(t)[..L.Dim].ToArray());
                Assert.Equal(alone.Row(t).ToArray(), both.Row(t)[L.Dim..].ToArray());
                var expected = new double[E.Dim];
                if (both.Mask[t])
                {
                    int[] inside = Enumerable.Range(0, embeddings.Length).Where(j => Math.Abs(E.CentreSeconds(j) - ts[t]) <= half + 1e-9).ToArray();
                    if (inside.Length == 0)
                        inside = [Enumerable.Range(0, embeddings.Length).MinBy(j => Math.Abs(E.CentreSeconds(j) - ts[t]))];
                    for (int c = 0; c < E.Dim; c++)
                        expected[c] = inside.Average(j => (double)embeddings[j][c]);
                    _output.WriteLine($"h={half} t={ts[t]}: embeddings {string.Join(",", inside)}");
                }
                for (int c = 0; c < E.Dim; c++)
                    Assert.True(Math.Abs(both.Row(t)[L.Dim + c] - expected[c]) <= 1e-6 * Math.Max(1, Math.Abs(expected[c])),
                        $"h={half} t={ts[t]} {L.ColumnNamesOf(options.Groups)[L.Dim + c]}: {both.Row(t)[L.Dim + c]} vs {expected[c]}");
            }
        }
    }

    [Fact]
    public void PooledColumnsDoNotDependOnChunking()
    {
        float[] pcm = _reference.Pcm;
        double[] ts = Enumerable.Range(0, 95).Select(i => i / 30.0).ToArray();
        var options = new AudioFeatureOptions { Groups = AudioFeatureGroups.SpeechEmbedding };
        using var extractor = new AudioFeatureExtractor(null, _model, options);
        var reference = extractor.Extract(pcm, ts);
        foreach (int size in new[] { 1, 777, 16000 })
        {
            var chunks = Enumerable.Range(0, (pcm.Length + size - 1) / size).Select(i => pcm[(i * size)..Math.Min(pcm.Length, (i + 1) * size)]);
            var streamed = extractor.Extract(chunks, ts);
            Assert.Equal(reference.Mask, streamed.Mask);
            Assert.Equal(reference.Values, streamed.Values);
        }
    }

    [Fact]
    public void AudioShorterThanOneWindowGivesZeroEmbeddingColumnsButAMask()
    {
        var options = new AudioFeatureOptions { Groups = AudioFeatureGroups.SpeechEmbedding };
        using var extractor = new AudioFeatureExtractor(null, _model, options);
        var features = extractor.Extract(_reference.Pcm[..8000], [0.0, 0.25, 0.5, 0.6]);
        Assert.Equal([true, true, true, false], features.Mask);
        Assert.All(features.Values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LayoutOfTheGroups()
    {
        Assert.Equal(145, L.DimOf(AudioFeatureGroups.Prosody));
        Assert.Equal(96, L.DimOf(AudioFeatureGroups.SpeechEmbedding));
        Assert.Equal(241, L.DimOf(AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding));
        Assert.Equal(L.ColumnNames, L.ColumnNamesOf(AudioFeatureGroups.Prosody));
        var both = L.ColumnNamesOf(AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding);
        Assert.Equal(241, both.Distinct().Count());
        Assert.Equal("speech_emb_00_mean", both[145]);
        Assert.Equal("speech_emb_95_mean", both[240]);
        Assert.Equal("speech_emb_00_mean", L.ColumnNamesOf(AudioFeatureGroups.SpeechEmbedding)[0]);
        Assert.Equal(0, L.SpeechEmbeddingOffset(AudioFeatureGroups.SpeechEmbedding));
        Assert.Equal(145, L.SpeechEmbeddingOffset(AudioFeatureGroups.Prosody | AudioFeatureGroups.SpeechEmbedding));
        Assert.Equal(AudioFeatureGroups.Prosody, new AudioFeatureOptions().Groups);
    }

    [Fact]
    public void OptionsMustNameAtLeastOneKnownGroup()
    {
        Assert.Equal("AudioFeatureOptions.Groups", Assert.Throws<AffectFuseException>(() => new AudioFeatureOptions { Groups = 0 }.Validate()).Option);
        Assert.Equal("AudioFeatureOptions.Groups", Assert.Throws<AffectFuseException>(() => new AudioFeatureOptions { Groups = (AudioFeatureGroups)4 }.Validate()).Option);
        Assert.Equal("AudioFeatureOptions.Groups", Assert.Throws<AffectFuseException>(() => new AudioFeatureOptions { Groups = AudioFeatureGroups.Prosody | (AudioFeatureGroups)8 }.Validate()).Option);
        Assert.Equal("AudioFeatureOptions.HalfWindowSeconds", Assert.Throws<AffectFuseException>(() => new AudioFeatureOptions { HalfWindowSeconds = double.NaN }.Validate()).Option);
        Assert.Equal("AudioFeatureOptions.DecoderChunkSamples", Assert.Throws<AffectFuseException>(() => new AudioFeatureOptions { DecoderChunkSamples = 0 }.Validate()).Option);
        new AudioFeatureOptions { Groups = AudioFeatureGroups.SpeechEmbedding }.Validate();
        // A group without its model.
        Assert.Throws<ArgumentException>(() => new AudioFeatureExtractor(null, null, new AudioFeatureOptions { Groups = AudioFeatureGroups.SpeechEmbedding }));
        Assert.Throws<ArgumentException>(() => new AudioFeatureExtractor(null, _model, new AudioFeatureOptions()));
    }

    [Fact]
    public void WrongOrMissingModelFilesAreClearErrorsNamingTheFile()
    {
        var store = AudioTestKit.Models();
        var wrongMel = Assert.Throws<AffectFuseException>(() => new E(store.SileroVad, store.SpeechEmbedding));
        Assert.Equal(store.SileroVad, wrongMel.File);
        _output.WriteLine(wrongMel.Message);
        var wrongEmbedding = Assert.Throws<AffectFuseException>(() => new E(store.SpeechMelSpectrogram, store.SpeechMelSpectrogram));
        Assert.Equal(store.SpeechMelSpectrogram, wrongEmbedding.File);
        Assert.Contains("input_1", wrongEmbedding.Problem);
        _output.WriteLine(wrongEmbedding.Message);
        var missing = Assert.Throws<AffectFuseException>(() => new E(store.SpeechMelSpectrogram, "/nonexistent/embedding_model.onnx"));
        Assert.Equal("/nonexistent/embedding_model.onnx", missing.File);
        using var folder = new TempFolder();
        string garbage = folder.File("melspectrogram.onnx");
        File.WriteAllText(garbage, "not a model");
        Assert.Equal(garbage, Assert.Throws<AffectFuseException>(() => new E(garbage, store.SpeechEmbedding)).File);
    }
}
