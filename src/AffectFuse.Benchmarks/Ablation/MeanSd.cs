using System.Globalization;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Mean and sample standard deviation (n − 1) of a figure over seeds.</summary>
public readonly record struct MeanSd(double Mean, double Sd, int N)
{
    /// <summary>Summarises <paramref name="values"/>; the sd of a single value is 0.</summary>
    public static MeanSd Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return new MeanSd(double.NaN, double.NaN, 0);
        double mean = v.Average();
        double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return new MeanSd(mean, sd, v.Length);
    }

    /// <summary>"0.512 ± 0.013" (no ± part for a single seed); <paramref name="scale"/> multiplies both (100 for percent).</summary>
    public string Format(int decimals, double scale = 1, string suffix = "")
    {
        string f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string mean = (Mean * scale).ToString(f, CultureInfo.InvariantCulture);
        return N > 1 ? $"{mean} ± {(Sd * scale).ToString(f, CultureInfo.InvariantCulture)}{suffix}" : mean + suffix;
    }
}
