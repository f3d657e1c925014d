using Xunit;
using AffectFuse.Inference;

namespace AffectFuse.Tests.Inference;

public class TemporalSmoothingTests
{
    private static float[] RandomProbabilities(int frames, int seed)
    {
        var rng = new Random(seed);
        var p = new float[frames * 8];
        for (int t = 0; t < frames; t++)
        {
            double sum = 0;
            for (int c = 0; c < 8; c++)
                sum += p[t * 8 + c] = (float)rng.NextDouble();
            for (int c = 0; c < 8; c++)
                p[t * 8 + c] /= (float)sum;
        }
        return p;
    }

    [Fact]
    public void ZeroHalfWidthIsIdentityAndACopy()
    {
        var p = RandomProbabilities(20, 1);
        var s = TemporalSmoothing.Smooth(p, 0);
        Assert.Equal(p, s);
        Assert.NotSame(p, s);
    }

    [Fact]
    public void ConstantInputIsUnchanged()
    {
        float[] row = [0.1f, 0.05f, 0.05f, 0.1f, 0.3f, 0.2f, 0.1f, 0.1f];
        var p = Enumerable.Range(0, 30).SelectMany(_ => row).ToArray();
        var s = TemporalSmoothing.Smooth(p, 7);
        for (int i = 0; i < p.Length; i++)
            Assert.Equal(p[i], s[i], 6);
    }

    [Fact]
    public void EdgesAverageOnlyTheFramesThatExist()
    {
        // Class-0 probability 0, 1, 2, 3, 4 over five frames (not normalised, to make the arithmetic visible).
        var p = new float[5 * 8];
        for (int t = 0; t < 5; t++)
            p[t * 8] = t;
        var s = TemporalSmoothing.Smooth(p, 1);
        Assert.Equal([0.5f, 1f, 2f, 3f, 3.5f], Enumerable.Range(0, 5).Select(t => s[t * 8]).ToArray());
        var wide = TemporalSmoothing.Smooth(p, 2);
        Assert.Equal(1f, wide[0], 6);          // frames 0..2
        Assert.Equal(1.5f, wide[8], 6);        // frames 0..3
        Assert.Equal(2f, wide[16], 6);         // frames 0..4
        Assert.Equal(3f, wide[4 * 8], 6);      // frames 2..4
        var all = TemporalSmoothing.Smooth(p, 100);
        Assert.All(Enumerable.Range(0, 5), t => Assert.Equal(2f, all[t * 8], 6));
    }

    [Fact]
    public void SmoothingMatchesANaiveCentredMean()
    {
        var p = RandomProbabilities(57, 2);
        const int delta = 6;
        var s = TemporalSmoothing.Smooth(p, delta);
        for (int t = 0; t < 57; t++)
            for (int c = 0; c < 8; c++)
            {
                int lo = Math.Max(0, t - delta), hi = Math.Min(56, t + delta);
                double mean = Enumerable.Range(lo, hi - lo + 1).Average(u => p[u * 8 + c]);
                Assert.Equal(mean, s[t * 8 + c], 5);
            }
    }

    [Fact]
    public void SmoothingRemovesAnIsolatedFlip()
    {
        var p = new float[9 * 8];
        for (int t = 0; t < 9; t++)
        {
            p[t * 8 + 4] = t == 4 ? 0.3f : 0.7f;
            p[t * 8 + 1] = t == 4 ? 0.7f : 0.3f;
        }
        Assert.Equal(1, TemporalSmoothing.Argmax(p)[4]);
        Assert.All(TemporalSmoothing.Argmax(TemporalSmoothing.Smooth(p, 2)), l => Assert.Equal(4, l));
    }

    [Fact]
    public void ArgmaxPicksTheLargestAndTheLowestIndexOnTies()
    {
        float[] p = [0, 0, 0.2f, 0.5f, 0.1f, 0.2f, 0, 0,   0.25f, 0, 0, 0, 0.25f, 0.25f, 0.25f, 0];
        Assert.Equal([3, 0], TemporalSmoothing.Argmax(p));
        Assert.Throws<ArgumentException>(() => TemporalSmoothing.Argmax(new float[9]));
    }
}
