using AffectFuse.Audio;
using Xunit;
using L = AffectFuse.Audio.AudioFeatureLayout;

namespace AffectFuse.Tests.Audio;

/// <summary>One extractor (one VAD session) for the class.</summary>
public sealed class ExtractorFixture : IDisposable
{
    internal AudioFeatureExtractor Extractor { get; } = AudioFeatureExtractor.Open(AudioTestKit.Models());

    public void Dispose() => Extractor.Dispose();
}

public class AudioFeatureExtractorTests : IClassFixture<ExtractorFixture>, IClassFixture<GeneratedMedia>
{
    private readonly AudioFeatureExtractor _extractor;
    private readonly GeneratedMedia _media;

    public AudioFeatureExtractorTests(ExtractorFixture fixture, GeneratedMedia media)
    {
        _extractor = fixture.Extractor;
        _media = media;
    }

    private static double[] Timestamps(double fps, double seconds) =>
        Enumerable.Range(0, (int)Math.Round(fps * seconds)).Select(i => i / fps).ToArray();

    [Fact]
    public void LayoutHas145UniquelyNamedColumns()
    {
        Assert.Equal(145, L.Dim);
        Assert.Equal(L.Dim, L.ColumnNames.Count);
        Assert.Equal(L.Dim, L.ColumnNames.Distinct().Count());
        Assert.Equal("logmel_00_mean", L.ColumnNames[0]);
        Assert.Equal("log_f0_mean", L.ColumnNames[L.LogF0]);
        Assert.Equal("zcr_std", L.ColumnNames[L.DescriptorCount + L.ZeroCrossingRate]);
        Assert.Equal("vad_speech_mean", L.ColumnNames[L.VadColumn]);
    }

    [Fact]
    public void RowsFollowTheSignalAndMaskIsFalseBeyondTheAudio()
    {
        // 1 s of 220 Hz, then 1 s of silence; video runs 3 s at 25 fps.
        float[] pcm = AudioTestKit.Concat(AudioTestKit.Tone(220, 1.0), AudioTestKit.Silence(1.0));
        double[] ts = Timestamps(25, 3);
        var features = _extractor.Extract(pcm, ts);
        Assert.Equal(ts.Length, features.FrameCount);
        Assert.Equal(ts.Length * L.Dim, features.Values.Length);
        for (int t = 0; t < ts.Length; t++)
        {
            bool expected = ts[t] <= 2.0;
            Assert.True(expected == features.Mask[t], $"mask at {ts[t]} s");
            if (!expected)
                Assert.All(features.Row(t).ToArray(), v => Assert.Equal(0f, v));
        }

        ReadOnlySpan<float> tone = features.Row(12);   // 0.48 s: window wholly inside the tone
        Assert.Equal(Math.Log(220), tone[L.LogF0], 0.01);
        Assert.True(tone[L.DescriptorCount + L.LogF0] < 0.01, "pitch of a steady tone varies");
        Assert.Equal(1f, tone[L.Voiced]);
        ReadOnlySpan<float> quiet = features.Row(37);  // 1.48 s: window wholly inside the silence
        Assert.True(features.Mask[37], "silence is present audio");
        Assert.Equal(0f, quiet[L.Voiced]);
        Assert.Equal(0f, quiet[L.LogF0]);
        Assert.Equal((float)Math.Log(SpectralDescriptors.RmsFloor), quiet[L.LogEnergy]);
        Assert.True(quiet[L.VadColumn] < 0.05, $"VAD in silence {quiet[L.VadColumn]}");
    }

    [Fact]
    public void PooledStatisticsEqualThoseOfTheDescriptorsInTheWindow()
    {
        float[] pcm = AudioTestKit.Concat(AudioTestKit.WhiteNoise(0.7, 0.05, seed: 9), AudioTestKit.Tone(180, 0.8), AudioTestKit.Silence(0.3));
        float[] all = FrameDescriptorAnalyzer.AnalyzeAll(pcm);
        int frames = all.Length / L.DescriptorCount;
        double[] ts = [0.0, 0.33, 0.7, 0.71, 1.2, 1.79];
        var features = _extractor.Extract(pcm, ts);
        for (int t = 0; t < ts.Length; t++)
        {
            var inWindow = Enumerable.Range(0, frames)
                .Where(i => Math.Abs(FrameDescriptorAnalyzer.FrameCentreSeconds(i) - ts[t]) <= 0.25 + 1e-9).ToArray();
            for (int c = 0; c < L.DescriptorCount; c++)
            {
                var values = inWindow.Where(i => c != L.LogF0 || all[i * L.DescriptorCount + L.Voiced] > 0.5f)
                    .Select(i => (double)all[i * L.DescriptorCount + c]).ToArray();
                double mean = values.Length > 0 ? values.Average() : 0;
                double std = values.Length > 0 ? Math.Sqrt(values.Average(v => (v - mean) * (v - mean))) : 0;
                Assert.True(Math.Abs(features.Row(t)[c] - mean) <= 1e-4 * Math.Max(1, Math.Abs(mean)), $"t={ts[t]} {L.ColumnNames[c]}: {features.Row(t)[c]} vs {mean}");
                Assert.True(Math.Abs(features.Row(t)[L.DescriptorCount + c] - std) <= 2e-3 * Math.Max(1, std), $"t={ts[t]} {L.ColumnNames[L.DescriptorCount + c]}: {features.Row(t)[L.DescriptorCount + c]} vs {std}");
            }
        }
    }

    [Fact]
    public void ChunkingDoesNotChangeTheResult()
    {
        float[] pcm = AudioTestKit.Concat(AudioTestKit.Tone(150, 0.6), AudioTestKit.WhiteNoise(0.9, 0.1, seed: 4), AudioTestKit.Tone(300, 0.5));
        double[] ts = Timestamps(29.97, 2.2);
        var reference = _extractor.Extract(pcm, ts);
        foreach (int size in new[] { 1, 333, 5000 })
        {
            var chunks = Enumerable.Range(0, (pcm.Length + size - 1) / size).Select(i => pcm[(i * size)..Math.Min(pcm.Length, (i + 1) * size)]);
            var streamed = _extractor.Extract(chunks, ts);
            Assert.Equal(reference.Mask, streamed.Mask);
            Assert.Equal(reference.Values, streamed.Values);
        }
    }

    [Fact]
    public void NoAudioTrackGivesZeroRowsAndFalseMask()
    {
        double[] ts = Timestamps(25, 2);
        var fromNull = _extractor.Extract((float[]?)null, ts);
        Assert.Equal(ts.Length, fromNull.FrameCount);
        Assert.All(fromNull.Mask, Assert.False);
        Assert.All(fromNull.Values, v => Assert.Equal(0f, v));

        var fromFile = _extractor.ExtractFile(_media.WithoutAudio, ts);
        Assert.All(fromFile.Mask, Assert.False);
    }

    [Fact]
    public void MediaFileEndToEnd()
    {
        double[] ts = Timestamps(25, 2.5);
        var features = _extractor.ExtractFile(_media.WithAudio, ts);
        Assert.Equal(ts.Length, features.FrameCount);
        for (int t = 0; t < ts.Length; t++)
            Assert.Equal(ts[t] <= 2.0, features.Mask[t]);
        ReadOnlySpan<float> row = features.Row(25); // 1.0 s
        Assert.Equal(Math.Log(440), row[L.LogF0], 0.01);
        Assert.Equal(1f, row[L.Voiced]);
    }

    [Fact]
    public void DecreasingTimestampsAreRejected()
    {
        using var stream = _extractor.OpenStream([AudioTestKit.Tone(200, 1)]);
        var row = new float[L.Dim];
        stream.Next(0.5, row);
        Assert.Throws<ArgumentException>(() => stream.Next(0.4, row));
    }
}
