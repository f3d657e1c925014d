namespace AffectFuse.Training;

/// <summary>Live training state for progress displays.</summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double RunningLoss,
    double? LastValidationMacroF1, double BestValidationMacroF1, string Phase)
{
    /// <summary>Optimiser steps per second so far in this epoch (NaN before the first).</summary>
    public double BatchesPerSecond { get; init; } = double.NaN;

    /// <summary>Time left in this epoch's training pass at the current rate (validation not included); null while unknown.</summary>
    public TimeSpan? EpochRemaining { get; init; }
}
