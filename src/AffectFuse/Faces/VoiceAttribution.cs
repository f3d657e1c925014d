namespace AffectFuse.Faces;

/// <summary>Whose voice is it: per person and frame, the share of the sound that is theirs, from how well their mouth
/// motion follows the sound's loudness around that frame.</summary>
/// <remarks>
/// For each person and frame, the Pearson correlation of the mouth motion (<see cref="MouthMotion"/>) with the change of
/// loudness (|Δ log RMS|: a mouth moves when syllables start and stop) over ±<see cref="HalfWindowFrames"/> frames,
/// the best over lags of −2 to +6 frames (the lips move up to 100–300 ms before the sound they shape; a recording
/// rarely puts the sound first),
/// less what chance reaches (<see cref="ChanceCorrelation"/>): still faces, or faces whose motion has nothing to do
/// with the sound, end up even and share it.
/// The shares of the persons present at a frame are a softmax of their correlations with temperature
/// <see cref="Temperature"/>: a face in step with the sound takes it from one that is not; two faces equally (un)related
/// share it. A lone face has it all, so one-person videos are fused as before.
/// </remarks>
internal static class VoiceAttribution
{
    /// <summary>Half the correlation window (1.5 s at 25 fps).</summary>
    public const int HalfWindowFrames = 37;

    /// <summary>Correlation that chance alone reaches: over 75 frames the best of 9 lags of two unrelated series is
    /// about 0.1–0.2 (one null standard deviation is 1/√75 ≈ 0.12), so only what lies above counts as being in step.</summary>
    public const float ChanceCorrelation = 0.2f;

    /// <summary>Softmax temperature on correlations: 0.1 makes a difference of 0.2 in correlation a share of 0.88.</summary>
    public const float Temperature = 0.1f;

    private const int MinLag = -2, MaxLag = 6, MinPairs = 12;

    /// <summary>The shares, one array per person (<paramref name="mouth"/>: per person and frame, NaN where the face is
    /// absent or its motion unknown; <paramref name="present"/>: where each person's face is). Absent: 0.</summary>
    public static float[][] Shares(IReadOnlyList<float[]> mouth, IReadOnlyList<bool[]> present, float[] loudness)
    {
        int persons = mouth.Count, frames = loudness.Length;
        var change = new float[frames];
        for (int t = 1; t < frames; t++)
            change[t] = MathF.Abs(loudness[t] - loudness[t - 1]);
        var sync = new float[persons][];
        for (int p = 0; p < persons; p++)
            sync[p] = Synchrony(mouth[p], change);
        var shares = new float[persons][];
        for (int p = 0; p < persons; p++)
            shares[p] = new float[frames];
        var presentAt = new bool[persons];
        var syncs = new float[persons];
        var share = new float[persons];
        for (int t = 0; t < frames; t++)
        {
            for (int p = 0; p < persons; p++)
                (presentAt[p], syncs[p]) = (present[p][t], sync[p][t]);
            Softmax(syncs, presentAt, share);
            for (int p = 0; p < persons; p++)
                shares[p][t] = share[p];
        }
        return shares;
    }

    /// <summary>The shares of one frame: a softmax of the persons' synchrony (<see cref="SynchronyAt"/>) over those
    /// <paramref name="present"/>, written to <paramref name="shares"/> (0 for the absent).</summary>
    public static void Softmax(ReadOnlySpan<float> sync, ReadOnlySpan<bool> present, Span<float> shares)
    {
        double total = 0;
        for (int p = 0; p < sync.Length; p++)
            if (present[p])
                total += Math.Exp(sync[p] / Temperature);
        for (int p = 0; p < sync.Length; p++)
            shares[p] = present[p] ? (float)(Math.Exp(sync[p] / Temperature) / total) : 0f;
    }

    /// <summary>Per frame, <see cref="SynchronyAt"/>.</summary>
    internal static float[] Synchrony(float[] motion, float[] change)
    {
        var result = new float[motion.Length];
        for (int t = 0; t < motion.Length; t++)
            result[t] = SynchronyAt(motion, change, t);
        return result;
    }

    /// <summary>The best lagged correlation of <paramref name="motion"/> with <paramref name="change"/> (the same frames,
    /// NaN where the motion is unknown) over the window around frame <paramref name="t"/>, less chance; 0 where too few
    /// frames have both. The spans may be a stream's recent frames: only those within the window and lags are read.</summary>
    public static float SynchronyAt(ReadOnlySpan<float> motion, ReadOnlySpan<float> change, int t)
    {
        if (float.IsNaN(motion[t]) && !HasMotionNear(motion, t))
            return 0;
        float best = 0;
        for (int lag = MinLag; lag <= MaxLag; lag++)
            best = Math.Max(best, Correlation(motion, change, t - HalfWindowFrames, t + HalfWindowFrames, lag));
        return Math.Max(0, best - ChanceCorrelation);
    }

    /// <summary>Frames before and after a frame that <see cref="SynchronyAt"/> reads.</summary>
    public const int FramesBefore = HalfWindowFrames - MinLag, FramesAfter = HalfWindowFrames + MaxLag;

    private static bool HasMotionNear(ReadOnlySpan<float> motion, int t)
    {
        for (int i = Math.Max(0, t - 2); i <= Math.Min(motion.Length - 1, t + 2); i++)
            if (!float.IsNaN(motion[i]))
                return true;
        return false;
    }

    // Pearson correlation of motion[i] with change[i + lag] for i in [from, to], over the pairs that exist.
    private static float Correlation(ReadOnlySpan<float> motion, ReadOnlySpan<float> change, int from, int to, int lag)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = Math.Max(from, 0); i <= Math.Min(to, motion.Length - 1); i++)
        {
            int j = i + lag;
            if (j < 0 || j >= change.Length || float.IsNaN(motion[i]))
                continue;
            double x = motion[i], y = change[j];
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        if (n < MinPairs)
            return 0;
        double vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
        return vx <= 1e-9 || vy <= 1e-9 ? 0 : (float)((sxy - sx * sy / n) / Math.Sqrt(vx * vy));
    }
}
