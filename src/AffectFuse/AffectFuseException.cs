namespace AffectFuse;

/// <summary>A problem with a user's input, file or option, reported as one line that names what is at fault and the
/// problem.</summary>
public class AffectFuseException : Exception
{
    private readonly string _problem;

    /// <summary>The file (or folder) at fault, if any.</summary>
    public string? File { get; }

    /// <summary>The option at fault, as the library names it (<c>ModelOptions.Width</c>), if any.</summary>
    public string? Option { get; }

    /// <summary>The problem, without the file or option name.</summary>
    public string Problem => OptionName.Render(_problem);

    /// <summary>Creates the exception; <paramref name="file"/> may be null when no single file is at fault.</summary>
    public AffectFuseException(string? file, string problem, Exception? inner = null)
        : this(file, null, problem, inner)
    {
    }

    private AffectFuseException(string? file, string? option, string problem, Exception? inner)
        : base(Describe(file, option, problem, OptionName.Library), inner)
    {
        File = file;
        Option = option;
        _problem = problem;
    }

    /// <summary>An option's fault: <paramref name="option"/> is <c>Type.Property</c>, and <paramref name="problem"/> may
    /// name other options through <see cref="OptionName.Of"/>.</summary>
    internal static AffectFuseException ForOption(string option, string problem, Exception? inner = null)
        => new(null, option, problem, inner);

    /// <summary>"SUBJECT: PROBLEM" with the options still marked, for a message that wraps this one.</summary>
    internal string Marked => Describe(OptionName.Of);

    /// <summary>"SUBJECT: PROBLEM" with every option spelled by <paramref name="spell"/> (the command line's flags).</summary>
    internal string Describe(Func<string, string> spell) => Describe(File, Option, _problem, spell);

    private static string Describe(string? file, string? option, string problem, Func<string, string> spell)
    {
        string text = OptionName.Render(problem, spell);
        string? subject = option is null ? file : spell(option);
        return subject is null ? text : $"{subject}: {text}";
    }
}
