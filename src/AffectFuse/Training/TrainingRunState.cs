namespace AffectFuse.Training;

/// <summary>A run's progress as committed with its weights and optimiser state in <c>last.ckpt</c>: everything a resumed
/// run needs to carry on exactly as an uninterrupted one, and to rebuild the derived files (log, curves, best checkpoint).</summary>
/// <param name="BestEpoch">Epoch of the best validation macro-F1 so far (0 before any).</param>
/// <param name="BestValidationMacroF1">That score.</param>
/// <param name="History">Every committed epoch, in order.</param>
/// <remarks>No random-number state is kept: every epoch re-seeds its generators from the seed and its number.</remarks>
internal sealed record TrainingRunState(int BestEpoch, double BestValidationMacroF1, IReadOnlyList<EpochRecord> History);
