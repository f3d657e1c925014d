namespace AffectFuse.Training;

/// <summary>One epoch of training as logged and plotted.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss.</param>
/// <param name="ValidationLoss">Mean validation loss, when computed.</param>
/// <param name="ValidationMacroF1">Validation macro-F1 (soft voting).</param>
/// <param name="ValidationAccuracy">Validation accuracy.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
public sealed record EpochRecord(int Epoch, double TrainLoss, double? ValidationLoss, double ValidationMacroF1,
    double ValidationAccuracy, double LearningRate, double Seconds);
