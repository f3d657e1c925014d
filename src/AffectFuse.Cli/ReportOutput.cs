using System.Text.Json;
using AffectFuse.IO;
using Spectre.Console;

namespace AffectFuse.Cli;

/// <summary>How a benchmark command shows what it measured: JSON on stdout with <c>--json</c>, else its table; progress in
/// grey on stderr.</summary>
internal static class ReportOutput
{
    /// <summary>Writes <paramref name="report"/> as JSON when <paramref name="json"/> is set, else with
    /// <paramref name="table"/>; returns the exit code, 0.</summary>
    public static int Show<T>(T report, bool json, Action<T> table)
    {
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(report, OptionsJson.Settings));
        else
            table(report);
        return 0;
    }

    /// <summary>A grey line on stderr saying what is being measured.</summary>
    public static void Progress(string message) => CommandRunner.Error().MarkupLine($"[grey]{Markup.Escape(message)}[/]");
}
