using System.Diagnostics;
using AffectFuse.Training;
using Spectre.Console;

namespace AffectFuse.Cli;

/// <summary>Shows training progress on stderr: a live bar in a terminal, or one plain line every few seconds (and at each
/// phase change) when stderr is piped to a file or a program, so logs stay readable.</summary>
internal static class TrainingProgressDisplay
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="train"/> with a progress sink and returns its result.</summary>
    public static T Run<T>(Func<IProgress<TrainingProgress>, T> train)
    {
        var err = CommandRunner.Error();
        if (Console.IsErrorRedirected || !err.Profile.Capabilities.Interactive)
            return train(PlainLines(err));
        T result = default!;
        err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                result = train(new SynchronousProgress<TrainingProgress>(p =>
                {
                    task.MaxValue = (double)p.Epochs * p.BatchesPerEpoch;
                    task.Value = (double)(p.Epoch - 1) * p.BatchesPerEpoch + p.Batch;
                    task.Description = Markup.Escape(Describe(p));
                }));
            });
        return result;
    }

    /// <summary>One line of training progress: epoch, phase, batches, rate and time left, loss and scores.</summary>
    public static string Describe(TrainingProgress p)
    {
        string f1 = p.LastValidationMacroF1 is { } f ? $"val F1 {f:F3}" : "val F1 –";
        string rate = p.Phase == "train" && double.IsFinite(p.BatchesPerSecond)
            ? $" · {p.BatchesPerSecond:0.0} batches/s · epoch ETA {(p.EpochRemaining is { } r ? r.ToString(@"h\:mm\:ss") : "–")}"
            : "";
        return $"epoch {p.Epoch}/{p.Epochs} {p.Phase} {p.Batch}/{p.BatchesPerEpoch}{rate} · loss {p.RunningLoss:F4} · {f1} · best {p.BestValidationMacroF1:F3}";
    }

    private static SynchronousProgress<TrainingProgress> PlainLines(IAnsiConsole err)
    {
        var clock = Stopwatch.StartNew();
        string lastPhase = "";
        return new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == lastPhase && clock.Elapsed < LineInterval && p.Batch != p.BatchesPerEpoch) return;
            lastPhase = p.Phase;
            clock.Restart();
            err.WriteLine(Describe(p));
        });
    }
}
