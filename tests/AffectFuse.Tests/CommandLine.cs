using System.CommandLine;

namespace AffectFuse.Tests;

/// <summary>Runs command-line commands in-process, one at a time, capturing what they write to stderr. Console is
/// process-wide and tests run in parallel: without the gate one test's error line lands in another test's capture, and
/// two progress displays collide.</summary>
public static class CommandLine
{
    private static readonly Lock Gate = new();

    /// <summary>Runs command code that draws on the console (Spectre.Console refuses two live progress displays at once)
    /// alone, as <see cref="Run"/> does.</summary>
    public static T Exclusive<T>(Func<T> body)
    {
        lock (Gate)
            return body();
    }

    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>; its exit code and stderr.</summary>
    public static (int Code, string Error) Run(Command command, params string[] args)
    {
        lock (Gate)
        {
            var previous = Console.Error;
            var error = new StringWriter();
            Console.SetError(error);
            try
            {
                return (AffectFuse.Cli.CommandRunner.Invoke(command, args), error.ToString());
            }
            finally
            {
                Console.SetError(previous);
            }
        }
    }
}
