using Spectre.Console;

namespace AffectFuse.Cli;

/// <summary>Runs a command body and turns expected failures into one clear line and a non-zero exit code.</summary>
public static class CommandRunner
{
    /// <summary>Exit code for bad input (a file or option the user can fix).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an interrupted run.</summary>
    public const int Cancelled = 130;

    /// <summary>Runs <paramref name="body"/>; an <see cref="AffectFuseException"/> prints "error: FILE: PROBLEM" to stderr.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (AffectFuseException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return Cancelled;
        }
    }

    /// <summary>Prints a warning line in yellow to stderr.</summary>
    public static void Warn(string message)
    {
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");
    }
}
