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

    /// <summary>Columns assumed for output piped to a file or a program: wide enough that no line or table is folded.</summary>
    public const int RedirectedWidth = 400;

    /// <summary>Prints a warning line in yellow to stderr.</summary>
    public static void Warn(string message) => Error().MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    /// <summary>A console on stderr (progress and warnings go there), not folded when stderr is piped. Made per call:
    /// tests swap <see cref="Console.Error"/>.</summary>
    public static IAnsiConsole Error()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
