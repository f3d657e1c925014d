using System.Globalization;

namespace AffectFuse.Cli;

/// <summary>An option's comma-separated numbers (<c>0.5,1,2</c>), each one a number or one error line naming it.</summary>
internal static class NumberList
{
    /// <summary>The numbers of <paramref name="text"/>, in order; a part that is not a number is an
    /// <see cref="AffectFuseException"/> on <paramref name="option"/>.</summary>
    public static double[] Parse(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                throw new AffectFuseException(null, $"{option}: '{parts[i]}' is not a number");
        return values;
    }
}
