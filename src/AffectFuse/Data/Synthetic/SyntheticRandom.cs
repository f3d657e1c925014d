namespace AffectFuse.Data.Synthetic;

/// <summary>SplitMix64 generator: tiny, fast and defined by its arithmetic alone, so a synthetic data set is the same
/// on every runtime (<see cref="Random"/>'s seeded sequence is not a documented guarantee).</summary>
internal sealed class SyntheticRandom
{
    private ulong _state;
    private double? _spareGaussian;

    /// <summary>A generator for one independent stream of a seed (e.g. one video), so videos do not depend on each other's draws.</summary>
    public SyntheticRandom(int seed, long stream)
    {
        _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xD1B54A32D192ED03UL);
        NextUInt64();
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)(NextDouble() * n);

    /// <summary>Uniform integer in [min, max] (inclusive).</summary>
    public int NextInclusive(int min, int max) => min + Next(max - min + 1);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        double u1 = 1.0 - NextDouble(), u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
