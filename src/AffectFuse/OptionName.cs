using System.Text.RegularExpressions;

namespace AffectFuse;

/// <summary>Options named in messages: the library says <c>Type.Property</c>, a front end (the command line) shows its own
/// spelling (<c>--width</c>), so a message is written once with the option marked and rendered by whoever reads it.</summary>
internal static partial class OptionName
{
    private const char Open = '\u27E8', Close = '\u27E9';

    /// <summary>Marks <paramref name="option"/> (<c>Type.Property</c>) inside a message.</summary>
    public static string Of(string option) => $"{Open}{option}{Close}";

    /// <summary>The library's own spelling: the option's <c>Type.Property</c> name.</summary>
    public static string Library(string option) => option;

    /// <summary><paramref name="text"/> with each marked option spelled by <paramref name="spell"/> (the library's by default).</summary>
    public static string Render(string text, Func<string, string>? spell = null)
    {
        if (text.IndexOf(Open) < 0) return text;
        spell ??= Library;
        return Marked().Replace(text, m => spell(m.Groups[1].Value));
    }

    [GeneratedRegex("\u27E8([^\u27E9]+)\u27E9")]
    private static partial Regex Marked();
}
