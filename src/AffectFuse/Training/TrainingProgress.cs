namespace AffectFuse.Training;

/// <summary>Live training state for progress displays.</summary>
public sealed record TrainingProgress(
    int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double RunningLoss,
    double? LastValidationMacroF1, double BestValidationMacroF1, string Phase);
