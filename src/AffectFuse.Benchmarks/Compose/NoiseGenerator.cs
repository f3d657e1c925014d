namespace AffectFuse.Benchmarks.Compose;

/// <summary>Background noise with unit RMS.</summary>
public static class NoiseGenerator
{
    /// <summary><paramref name="count"/> samples of <paramref name="kind"/> noise, scaled to RMS 1.</summary>
    public static float[] Generate(NoiseKind kind, int count, Random rng)
    {
        var noise = new float[count];
        // Pink: Paul Kellet's economy filter (three one-pole sections) over white noise, accurate to ±0.5 dB above
        // ~10 Hz; hand-written because no referenced package generates coloured noise.
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < count; i++)
        {
            double white = Gaussian(rng);
            if (kind == NoiseKind.White)
            {
                noise[i] = (float)white;
                continue;
            }
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            noise[i] = (float)(b0 + b1 + b2 + white * 0.1848);
        }
        double power = 0;
        foreach (float x in noise) power += x * x;
        float scale = count == 0 || power == 0 ? 0 : (float)(1 / Math.Sqrt(power / count));
        for (int i = 0; i < count; i++) noise[i] *= scale;
        return noise;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
