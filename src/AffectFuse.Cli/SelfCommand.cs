namespace AffectFuse.Cli;

/// <summary>How this program was started, so a command can start it again the same way (bench pipeline's measurements in
/// a fresh process, a cluster run's tasks): the apphost or the tool's shim alone, or <c>dotnet</c> with the CLI's dll.</summary>
internal static class SelfCommand
{
    /// <summary>The program and the arguments that come before any command's own.</summary>
    public static string[] Prefix()
    {
        string process = Environment.ProcessPath ?? "affectfuse";
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, typeof(SelfCommand).Assembly.Location]
            : [process];
    }
}
