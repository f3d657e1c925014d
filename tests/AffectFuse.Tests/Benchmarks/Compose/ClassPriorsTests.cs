using AffectFuse.Benchmarks.Compose;
using Xunit;

namespace AffectFuse.Tests.Benchmarks.Compose;

public sealed class ClassPriorsTests
{
    [Fact]
    public void DefaultFloorRaisesRareAffWild2ClassesAndKeepsTheOthersProportional()
    {
        var shares = ClassPriors.WithFloor(ClassPriors.AffWild2Train, 0.05);
        Assert.Equal(1.0, shares.Sum(), 9);
        // Anger 2.8, Disgust 1.8, Fear 1.6 and (after rescaling) Surprise 5.4 % end at the floor.
        foreach (int c in new[] { 1, 2, 3, 6 })
            Assert.Equal(0.05, shares[c], 9);
        // The rest keep Aff-Wild2's ratios and share what is left.
        double rest = 30.3 + 16.3 + 13.5 + 28.3;
        Assert.Equal(0.8 * 30.3 / rest, shares[0], 9);
        Assert.Equal(0.8 * 28.3 / rest, shares[7], 9);
        Assert.Equal(0.8 * 16.3 / rest, shares[4], 9);
    }

    [Fact]
    public void ZeroFloorOnlyNormalisesAndZeroWeightsStayZero()
    {
        var shares = ClassPriors.WithFloor([2, 0, 0, 0, 1, 0, 0, 1], 0);
        Assert.Equal([0.5, 0, 0, 0, 0.25, 0, 0, 0.25], shares);
        var floored = ClassPriors.WithFloor([100, 0, 0, 0, 1, 0, 0, 1], 0.1);
        Assert.Equal(0, floored[1]);
        Assert.Equal(0.1, floored[4], 9);
        Assert.Equal(0.8, floored[0], 9);
    }
}
