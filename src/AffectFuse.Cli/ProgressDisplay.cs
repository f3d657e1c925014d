using Spectre.Console;

namespace AffectFuse.Cli;

/// <summary>Progress bars on stderr, so that stdout holds only results (tables, paths) for a file or a program to read.</summary>
internal static class ProgressDisplay
{
    /// <summary>A progress display on stderr with <paramref name="columns"/> (default: description, bar, percentage, time left).</summary>
    public static Progress Create(params ProgressColumn[] columns)
        => CommandRunner.Error().Progress()
            .AutoClear(true)
            .Columns(columns.Length > 0 ? columns : [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()]);

    /// <summary>Runs <paramref name="body"/> under the default display.</summary>
    public static void Start(Action<ProgressContext> body) => Create().Start(body);

    /// <summary>Runs <paramref name="body"/> under the default display and returns its result.</summary>
    public static T Start<T>(Func<ProgressContext, T> body) => Create().Start(body);

    /// <summary>A bar per phase, added when the phase first reports: (phase, done, total) moves it.</summary>
    public static Action<string, int, int> Phases(ProgressContext ctx)
    {
        var tasks = new Dictionary<string, ProgressTask>();
        return (phase, done, total) =>
        {
            if (!tasks.TryGetValue(phase, out var task))
                tasks[phase] = task = ctx.AddTask(phase, maxValue: Math.Max(1, total));
            task.Value = done;
        };
    }
}
