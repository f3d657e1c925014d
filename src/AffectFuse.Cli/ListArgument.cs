using System.Globalization;

namespace AffectFuse.Cli;

/// <summary>The one parser of an option's comma-separated list (<c>0.5,1,2</c>, <c>03,08</c>): parts trimmed, empty parts
/// dropped, a part that does not parse one error line naming the option and the part.</summary>
internal static class ListArgument
{
    /// <summary>The names in <paramref name="text"/>, in order.</summary>
    public static string[] Names(string text) => Parts(text);

    /// <summary>The numbers in <paramref name="text"/>, in order.</summary>
    public static double[] Numbers(string text, string option)
        => Of(text, option, "a number", s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));

    /// <summary>The whole numbers in <paramref name="text"/>, in order.</summary>
    public static int[] Integers(string text, string option)
        => Of(text, option, "a whole number", s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture));

    /// <summary>Each part of <paramref name="text"/> through <paramref name="parse"/>; at least one part is required.</summary>
    public static T[] Of<T>(string text, string option, string what, Func<string, T> parse)
    {
        var parts = Parts(text);
        if (parts.Length == 0)
            throw new AffectFuseException(option, $"'{text}' holds no value; give a comma-separated list");
        var values = new T[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            try
            {
                values[i] = parse(parts[i]);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new AffectFuseException(option, $"'{parts[i]}' is not {what}");
            }
        }
        return values;
    }

    private static string[] Parts(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
