namespace AffectFuse.Training;

/// <summary>Keeps an output derived from a training run (a log, a plot) in step with the run's committed state.</summary>
/// <remarks>Called after each epoch's commit and once more when a run resumes, so that what a kill left half-done is
/// rebuilt; each call must therefore replace the output from <c>history</c> alone, never append to it.</remarks>
internal interface ITrainingObserver
{
    /// <summary>The run in <paramref name="runFolder"/> has committed every epoch in <paramref name="history"/>.</summary>
    void Committed(string runFolder, IReadOnlyList<EpochRecord> history);
}
