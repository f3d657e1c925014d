namespace AffectFuse;

/// <summary>A problem with a user's input or file, reported as one line that names the file and the problem.</summary>
public class AffectFuseException : Exception
{
    /// <summary>The file (or folder) at fault, if any.</summary>
    public string? File { get; }

    /// <summary>The problem, without the file name.</summary>
    public string Problem { get; }

    /// <summary>Creates the exception; <paramref name="file"/> may be null when no single file is at fault.</summary>
    public AffectFuseException(string? file, string problem, Exception? inner = null)
        : base(file is null ? problem : $"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }
}
