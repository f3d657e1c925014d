namespace AffectFuse.Benchmarks.Compose;

/// <summary>Progress of a compose run, reported after each clip.</summary>
/// <param name="Done">Clips finished (composed or skipped).</param>
/// <param name="Total">Clips in the run.</param>
/// <param name="Clip">The clip just finished.</param>
/// <param name="Skipped">True when it already existed and was kept.</param>
/// <param name="Seconds">Time spent composing it (0 when skipped).</param>
public sealed record ComposeProgress(int Done, int Total, string Clip, bool Skipped, double Seconds);
