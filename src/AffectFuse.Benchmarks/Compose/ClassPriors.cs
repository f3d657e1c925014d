namespace AffectFuse.Benchmarks.Compose;

/// <summary>Class priors for composed clips.</summary>
public static class ClassPriors
{
    /// <summary>Aff-Wild2 EXPR train frame shares, percent (facts.md): Neutral 30.3, Anger 2.8, Disgust 1.8, Fear 1.6,
    /// Happiness 16.3, Sadness 13.5, Surprise 5.4, Other 28.3.</summary>
    public static readonly IReadOnlyList<double> AffWild2Train = [30.3, 2.8, 1.8, 1.6, 16.3, 13.5, 5.4, 28.3];

    /// <summary>Normalises <paramref name="weights"/> and raises every class with a positive weight to at least
    /// <paramref name="floor"/>, taking the difference proportionally from the classes above it. With the default 5 %
    /// floor the Aff-Wild2 shares become Neutral 27.4, Anger/Disgust/Fear/Surprise 5, Happiness 14.8, Sadness 12.2,
    /// Other 25.6 %: still long-tailed, but a rare class gets enough segments in ~15 minutes of training video to be
    /// learnable at all (1.6 % would be about two segments).</summary>
    public static double[] WithFloor(IReadOnlyList<double> weights, double floor)
    {
        double sum = weights.Sum();
        var shares = weights.Select(w => w / sum).ToArray();
        var floored = new bool[shares.Length];
        // Raising a class can push another below the floor, so repeat until none is below it.
        while (true)
        {
            for (int c = 0; c < shares.Length; c++)
                if (shares[c] > 0 && shares[c] < floor - 1e-12)
                    floored[c] = true;
            double fixedMass = floored.Count(f => f) * floor;
            double freeMass = Enumerable.Range(0, shares.Length).Where(c => !floored[c]).Sum(c => shares[c]);
            bool changed = false;
            for (int c = 0; c < shares.Length; c++)
            {
                double next = floored[c] ? floor : shares[c] * (1 - fixedMass) / freeMass;
                if (Math.Abs(next - shares[c]) > 1e-15) changed = true;
                shares[c] = next;
            }
            if (!changed || !shares.Any(s => s > 0 && s < floor - 1e-12))
                return shares;
        }
    }
}
