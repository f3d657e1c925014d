using AffectFuse.Training;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Live state of an ablation for progress displays.</summary>
/// <param name="RunsDone">Runs finished (or reused) so far.</param>
/// <param name="Runs">Runs in the ablation (rungs × seeds).</param>
/// <param name="Config">Rung of the current run.</param>
/// <param name="Seed">Seed of the current run.</param>
/// <param name="Phase">"train", "choose" (validation sweep), "score", "reused" or "done".</param>
/// <param name="Training">The current run's training state while it trains.</param>
public sealed record AblationProgress(int RunsDone, int Runs, string Config, int Seed, string Phase, TrainingProgress? Training);
