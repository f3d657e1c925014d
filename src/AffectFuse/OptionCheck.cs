using System.Globalization;

namespace AffectFuse;

/// <summary>The one way options records check their values: each failure is an <see cref="AffectFuseException"/> whose
/// <see cref="AffectFuseException.Option"/> is the property at fault as <c>Type.Property</c> (the command line shows its
/// flag instead) and whose problem states the allowed range and the value given.</summary>
internal static class OptionCheck
{
    public static void Range(string option, int value, int min, int max, string? why = null)
    {
        if (value < min || value > max)
            throw Bad(option, max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}{(why is null ? "" : $" ({why})")}", value);
    }

    public static void Range(string option, double value, double min, double max, bool maxInclusive = true)
    {
        bool ok = double.IsFinite(value) && value >= min && (maxInclusive ? value <= max : value < max);
        if (!ok)
        {
            string range = double.IsPositiveInfinity(max) ? $"must be a finite number of at least {F(min)}" : $"must be in [{F(min)}, {F(max)}{(maxInclusive ? "]" : ")")}";
            throw Bad(option, range, value);
        }
    }

    public static void Positive(string option, double value)
    {
        if (!(double.IsFinite(value) && value > 0))
            throw Bad(option, "must be a finite number above 0", value);
    }

    public static void Defined<T>(string option, T value) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw AffectFuseException.ForOption(option, $"must be one of {string.Join(", ", Enum.GetNames<T>())}, got {value}");
    }

    public static AffectFuseException Bad(string option, string rule, object value)
        => AffectFuseException.ForOption(option, $"{rule}, got {(value is double d ? F(d) : Convert.ToString(value, CultureInfo.InvariantCulture))}");

    /// <summary>An option's fault that is not a range: <paramref name="problem"/> may mark other options with
    /// <see cref="OptionName.Of"/>.</summary>
    public static AffectFuseException Fail(string option, string problem) => AffectFuseException.ForOption(option, problem);

    private static string F(double d) => d.ToString("G", CultureInfo.InvariantCulture);
}
