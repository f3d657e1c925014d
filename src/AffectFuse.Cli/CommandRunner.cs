using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;

namespace AffectFuse.Cli;

/// <summary>Runs a command body and turns expected failures into one clear line and a non-zero exit code.</summary>
public static class CommandRunner
{
    /// <summary>Exit code for bad input (a file or option the user can fix).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an interrupted run.</summary>
    public const int Cancelled = 130;

    /// <summary>Parses <paramref name="args"/> and runs the command they name. What the parser itself rejects (an unknown
    /// enum value, a missing required option, a value of the wrong type) is one <c>error: OPTION: PROBLEM</c> line and
    /// exit code 2, like every other bad input, instead of the whole help and exit code 1.</summary>
    public static int Invoke(Command command, string[] args)
    {
        if (args.Length == 0)
            args = ["--help"];
        var parse = command.Parse(args);
        if (parse.Errors.Count == 0)
            return parse.Invoke();
        // An unknown word says more than the "required command" complaint that follows from it.
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        // A missing argument is named like the usage line names it (VIDEO), with where to read more.
        var cmd = parse.CommandResult.Command;
        if (option is null && error.Message.StartsWith("Required argument missing", StringComparison.Ordinal)
            && cmd.Arguments.FirstOrDefault(a => parse.GetResult(a) is null or { Tokens.Count: 0 }) is { } argument)
        {
            Console.Error.WriteLine($"error: {argument.Name.ToUpperInvariant()}: required (see '{UsagePath(cmd)} --help')");
            return BadInput;
        }
        Console.Error.WriteLine($"error: {(option is null ? "" : option.Name + ": ")}{Problem(error.Message, option)}");
        return BadInput;
    }

    private static string UsagePath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault())
            names.Insert(0, c.Name);
        return string.Join(" ", names);
    }

    // The parser's wording, on one line, with the expected type said in words ('System.Nullable`1[System.Int32]' is not).
    private static string Problem(string message, Option? option)
    {
        var value = System.Text.RegularExpressions.Regex.Match(message, "^Cannot parse argument '(.*)' for option");
        if (option is not null && value.Success)
        {
            var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
            string expected = type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
                : type == typeof(int) || type == typeof(long) ? "a whole number"
                : type == typeof(double) || type == typeof(float) ? "a number"
                : $"a {type.Name}";
            return $"'{value.Groups[1].Value}' is not {expected}";
        }
        if (option is not null && message == $"Option '{option.Name}' is required.")
            return "is required";
        return OneLine(message);
    }

    /// <summary>Runs <paramref name="body"/>; an <see cref="AffectFuseException"/> prints "error: FILE: PROBLEM" to stderr.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (AffectFuseException e)
        {
            Console.Error.WriteLine($"error: {OptionFlags.Describe(e)}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return Cancelled;
        }
        // The library turns what it expects into AffectFuseException; these are the file-system faults it did not foresee
        // (the message names the path), still the user's to fix, so one line and the bad-input code.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
        // A bug of ours: one line all the same, the stack trace only on request.
        catch (Exception e) when (Environment.GetEnvironmentVariable(DebugVariable) is not "1")
        {
            Console.Error.WriteLine($"error: internal error ({e.GetType().Name}: {OneLine(e.Message)}); set {DebugVariable}=1 for the stack trace, and please report it");
            return InternalError;
        }
    }

    /// <summary>Exit code for a fault of the program itself (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Environment variable that lets an unexpected exception's stack trace through.</summary>
    public const string DebugVariable = "AFFECTFUSE_DEBUG";

    private static string OneLine(string text)
        => string.Join(" ", text.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));

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
