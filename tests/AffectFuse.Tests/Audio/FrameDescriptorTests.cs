using AffectFuse.Audio;
using Xunit;
using L = AffectFuse.Audio.AudioFeatureLayout;

namespace AffectFuse.Tests.Audio;

public class FrameDescriptorTests
{
    private static IEnumerable<float[]> Rows(float[] all) =>
        Enumerable.Range(0, all.Length / L.DescriptorCount).Select(i => all[(i * L.DescriptorCount)..((i + 1) * L.DescriptorCount)]);

    // Frames far enough from both ends that their pitch segment lies inside the signal.
    private static float[][] Inner(float[] all) => Rows(all).Skip(5).SkipLast(5).ToArray();

    [Theory]
    [InlineData(100.0)]
    [InlineData(220.0)]
    [InlineData(440.0)]
    public void PureToneGivesItsPitchWithinOnePercentAndIsVoiced(double hz)
    {
        float[][] rows = Inner(FrameDescriptorAnalyzer.AnalyzeAll(AudioTestKit.Tone(hz, 1.0)));
        Assert.NotEmpty(rows);
        foreach (float[] r in rows)
        {
            Assert.Equal(1f, r[L.Voiced]);
            double f0 = Math.Exp(r[L.LogF0]);
            Assert.True(Math.Abs(f0 - hz) / hz < 0.01, $"estimated {f0:F2} Hz for {hz} Hz");
            Assert.True(r[L.Periodicity] > 0.95, $"periodicity {r[L.Periodicity]}");
            Assert.True(r[L.Flatness] < 0.05, $"tone flatness {r[L.Flatness]}");
            // A sinusoid crosses zero twice a period.
            Assert.Equal(2 * hz / AudioTestKit.Rate, r[L.ZeroCrossingRate], 0.006);
            // ln RMS of a 0.5 sine = ln(0.5/√2), to within the edge effect of a non-integer number of periods.
            Assert.Equal(Math.Log(0.5 / Math.Sqrt(2)), r[L.LogEnergy], 0.05);
        }
    }

    [Fact]
    public void PitchTrackerAlsoFindsToneAtLimitsOfItsRange()
    {
        var tracker = new PitchTracker();
        foreach (double hz in new[] { 65.0, 480.0 })
        {
            float[] x = AudioTestKit.Tone(hz, 0.2);
            var estimate = tracker.Estimate(x.AsSpan(500, tracker.SegmentLength));
            Assert.True(estimate.Voiced, $"{hz} Hz not voiced");
            Assert.True(Math.Abs(estimate.FrequencyHz - hz) / hz < 0.01, $"estimated {estimate.FrequencyHz} for {hz}");
        }
    }

    [Fact]
    public void SilenceSitsAtTheFloorsAndIsUnvoiced()
    {
        float[][] rows = Rows(FrameDescriptorAnalyzer.AnalyzeAll(AudioTestKit.Silence(0.5))).ToArray();
        Assert.Equal(FrameDescriptorAnalyzer.FrameCount(8000), rows.Length);
        foreach (float[] r in rows)
        {
            Assert.Equal((float)Math.Log(SpectralDescriptors.RmsFloor), r[L.LogEnergy]);
            for (int b = 0; b < L.MelBands; b++)
                Assert.Equal((float)Math.Log(SpectralDescriptors.PowerFloor), r[b]);
            Assert.Equal(0f, r[L.Voiced]);
            Assert.Equal(0f, r[L.LogF0]);
            Assert.Equal(0f, r[L.ZeroCrossingRate]);
            Assert.Equal(0f, r[L.CentroidKHz]);
        }
    }

    [Fact]
    public void WhiteNoiseIsFlatCentredAtQuarterRateAndUnvoiced()
    {
        float[][] rows = Inner(FrameDescriptorAnalyzer.AnalyzeAll(AudioTestKit.WhiteNoise(2.0, 0.1, seed: 3)));
        double Mean(int c) => rows.Average(r => r[c]);
        // Per-frame power-spectrum flatness of white noise: each bin is exponential, so E = exp(E ln X)/E X = e^−γ ≈ 0.561.
        Assert.InRange(Mean(L.Flatness), 0.50, 0.62);
        Assert.InRange(Mean(L.CentroidKHz), 3.8, 4.2);          // fs/4
        Assert.InRange(Mean(L.RolloffKHz), 6.6, 7.0);           // 0.85 · fs/2
        Assert.InRange(Mean(L.ZeroCrossingRate), 0.47, 0.53);
        Assert.True(Mean(L.Voiced) < 0.02, $"noise voiced in {Mean(L.Voiced):P0} of frames");
        Assert.Equal(Math.Log(0.1), Mean(L.LogEnergy), 0.05);
    }

    [Fact]
    public void FrameCountAndCentresFollowTheTenMillisecondHop()
    {
        Assert.Equal(0, FrameDescriptorAnalyzer.FrameCount(399));
        Assert.Equal(1, FrameDescriptorAnalyzer.FrameCount(400));
        Assert.Equal(98, FrameDescriptorAnalyzer.FrameCount(16000)); // (16000 − 400) / 160 + 1
        Assert.Equal(0.0125, FrameDescriptorAnalyzer.FrameCentreSeconds(0), 12);
        Assert.Equal(1.0125, FrameDescriptorAnalyzer.FrameCentreSeconds(100), 12);
        // A tone that starts mid-signal: frames before it are silent, frames after are voiced at its pitch.
        float[] x = AudioTestKit.Concat(AudioTestKit.Silence(0.5), AudioTestKit.Tone(300, 0.5));
        float[][] rows = Rows(FrameDescriptorAnalyzer.AnalyzeAll(x)).ToArray();
        Assert.Equal(FrameDescriptorAnalyzer.FrameCount(x.Length), rows.Length);
        Assert.Equal(0f, rows[20][L.Voiced]);
        Assert.Equal(1f, rows[80][L.Voiced]);
    }
}
