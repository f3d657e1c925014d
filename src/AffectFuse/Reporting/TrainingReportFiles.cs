using AffectFuse.Training;

namespace AffectFuse.Reporting;

/// <summary>Writes a run folder's <c>training_log.csv</c> and <c>curves.png</c> from its committed history.</summary>
internal sealed class TrainingReportFiles : ITrainingObserver
{
    /// <summary>File name of the training log inside a run folder.</summary>
    public const string LogName = "training_log.csv";

    /// <summary>File name of the training-curve plot inside a run folder.</summary>
    public const string CurvesName = "curves.png";

    /// <inheritdoc />
    public void Committed(string runFolder, IReadOnlyList<EpochRecord> history)
    {
        TrainingLog.Write(Path.Combine(runFolder, LogName), history);
        if (history.Count > 0)
            TrainingCurvesPlot.Save(Path.Combine(runFolder, CurvesName), history);
    }
}
