namespace AffectFuse.Training;

/// <summary>Where an epoch's time went: <paramref name="TrainingFrames"/> window frames through the optimiser in
/// <paramref name="TrainingSeconds"/>, then validation with soft voting in <paramref name="ValidationSeconds"/>.</summary>
public sealed record EpochTiming(long TrainingFrames, double TrainingSeconds, double ValidationSeconds)
{
    /// <summary>The whole epoch.</summary>
    public double Seconds => TrainingSeconds + ValidationSeconds;

    /// <summary>Window frames trained per second of the whole epoch (validation included): the figure comparable with
    /// <c>bench model</c>'s training rate, which counts window frames too.</summary>
    public double FramesPerSecond => TrainingFrames / Seconds;
}
