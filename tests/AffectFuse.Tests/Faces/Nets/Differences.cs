using Xunit;

namespace AffectFuse.Tests.Faces.Nets;

/// <summary>How far a net's output lies from a reference's: the parity tests of every ported net measure it alike.</summary>
internal static class Differences
{
    /// <summary>Largest |actual − expected| (the two of equal length).</summary>
    public static float MaxDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < actual.Length; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        return worst;
    }

    /// <summary><see cref="MaxDiff"/> relative to the reference's largest magnitude (at least 1e-6).</summary>
    public static float RelDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        float scale = 0;
        foreach (float v in expected)
            scale = Math.Max(scale, Math.Abs(v));
        return MaxDiff(actual, expected) / Math.Max(scale, 1e-6f);
    }
}
