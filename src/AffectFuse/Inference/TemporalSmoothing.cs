namespace AffectFuse.Inference;

/// <summary>Centred moving average over per-frame class probabilities, and the argmax that turns them into labels.</summary>
internal static class TemporalSmoothing
{
    /// <summary>Each frame's probabilities become the mean over frames t−δ..t+δ that exist (edges average fewer
    /// frames rather than padding); δ = 0 returns a copy.</summary>
    public static float[] Smooth(float[] probabilities, int halfWidth)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentOutOfRangeException.ThrowIfNegative(halfWidth);
        const int k = ExpressionClasses.Count;
        if (probabilities.Length % k != 0)
            throw new ArgumentException($"{probabilities.Length} values is not a whole number of {k}-class rows", nameof(probabilities));
        int frames = probabilities.Length / k;
        if (halfWidth == 0 || frames == 0)
            return (float[])probabilities.Clone();

        // Prefix sums in double keep each window sum O(1) and exact enough over hour-long videos.
        var prefix = new double[(frames + 1) * (long)k];
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < k; c++)
                prefix[(t + 1L) * k + c] = prefix[(long)t * k + c] + probabilities[(long)t * k + c];

        var result = new float[probabilities.Length];
        for (int t = 0; t < frames; t++)
        {
            int lo = Math.Max(0, t - halfWidth), hi = Math.Min(frames - 1, t + halfWidth);
            int count = hi - lo + 1;
            for (int c = 0; c < k; c++)
                result[(long)t * k + c] = (float)((prefix[(hi + 1L) * k + c] - prefix[(long)lo * k + c]) / count);
        }
        return result;
    }

    /// <summary>Label per frame: the class with the highest probability (the lowest index on ties).</summary>
    public static int[] Argmax(float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        const int k = ExpressionClasses.Count;
        if (probabilities.Length % k != 0)
            throw new ArgumentException($"{probabilities.Length} values is not a whole number of {k}-class rows", nameof(probabilities));
        var labels = new int[probabilities.Length / k];
        for (int t = 0; t < labels.Length; t++)
        {
            int best = 0;
            for (int c = 1; c < k; c++)
                if (probabilities[(long)t * k + c] > probabilities[(long)t * k + best])
                    best = c;
            labels[t] = best;
        }
        return labels;
    }
}
