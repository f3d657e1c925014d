namespace AffectFuse.Audio;

/// <summary>Frame-level energy and spectral-shape descriptors. Definitions follow librosa: centroid and roll-off on
/// the magnitude spectrum, flatness on the power spectrum (geometric / arithmetic mean, floor 1e-10, so white noise
/// scores e^−γ ≈ 0.56 per frame and a pure tone ≈ 0). On digital silence the spectral-shape values are undefined
/// and reported as 0.</summary>
internal static class SpectralDescriptors
{
    /// <summary>Floor of the RMS before the logarithm (−100 dBFS).</summary>
    public const double RmsFloor = 1e-5;

    /// <summary>Power floor inside logarithms (librosa's amin).</summary>
    public const double PowerFloor = 1e-10;

    /// <summary>Fraction of spectral magnitude below the roll-off frequency.</summary>
    public const double RolloffFraction = 0.85;

    /// <summary>Natural log of the frame's RMS, floored at <see cref="RmsFloor"/>.</summary>
    public static float LogRms(ReadOnlySpan<float> frame)
    {
        double sum = 0;
        foreach (float x in frame)
            sum += (double)x * x;
        return (float)Math.Log(Math.Max(Math.Sqrt(sum / frame.Length), RmsFloor));
    }

    /// <summary>Fraction of adjacent sample pairs whose signs differ (0 counts as positive).</summary>
    public static float ZeroCrossingRate(ReadOnlySpan<float> frame)
    {
        int crossings = 0;
        for (int n = 1; n < frame.Length; n++)
        {
            if ((frame[n - 1] >= 0) != (frame[n] >= 0))
                crossings++;
        }
        return frame.Length > 1 ? (float)crossings / (frame.Length - 1) : 0f;
    }

    /// <summary>Spectral centroid (Hz), 85 % roll-off (Hz) and flatness of a power spectrum whose bin k lies at
    /// k·<paramref name="binHz"/>.</summary>
    public static (float CentroidHz, float RolloffHz, float Flatness) Shape(ReadOnlySpan<float> power, double binHz)
    {
        Span<float> magnitude = power.Length <= 1024 ? stackalloc float[power.Length] : new float[power.Length];
        double magnitudeSum = 0, weighted = 0, powerSum = 0, logSum = 0;
        for (int k = 0; k < power.Length; k++)
        {
            float m = MathF.Sqrt(power[k]);
            magnitude[k] = m;
            magnitudeSum += m;
            weighted += m * k * binHz;
            float p = MathF.Max(power[k], (float)PowerFloor);
            powerSum += p;
            logSum += MathF.Log(p);
        }
        if (magnitudeSum <= Math.Sqrt(PowerFloor))
            return (0f, 0f, 0f);

        double target = RolloffFraction * magnitudeSum, cumulative = 0;
        int rolloffBin = power.Length - 1;
        for (int k = 0; k < power.Length; k++)
        {
            cumulative += magnitude[k];
            if (cumulative >= target)
            {
                rolloffBin = k;
                break;
            }
        }
        double flatness = Math.Exp(logSum / power.Length) / (powerSum / power.Length);
        return ((float)(weighted / magnitudeSum), (float)(rolloffBin * binHz), (float)flatness);
    }
}
