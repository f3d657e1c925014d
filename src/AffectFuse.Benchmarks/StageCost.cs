using AffectFuse.IO;

namespace AffectFuse.Benchmarks;

/// <summary>One step's CPU time in a measurement (<see cref="ProfiledStage"/>), on the thread it runs on.</summary>
/// <param name="Stage">The step, as <see cref="ProfiledStage"/> names it.</param>
/// <param name="Thread">Its thread: frames, face nets, audio, or caller.</param>
/// <param name="CpuSeconds">Its thread's CPU time in it (the model's: the process's, as it may use several threads).</param>
/// <param name="Calls">Times it ran (per frame, per batch of crops, per chunk of sound).</param>
public sealed record StageCost(string Stage, string Thread, double CpuSeconds, long Calls)
{
    /// <summary>The steps <paramref name="profile"/> recorded, in path order; null without a profile.</summary>
    internal static IReadOnlyList<StageCost>? From(StageProfile? profile) =>
        profile?.Recorded.Select(s => new StageCost(s.ToString(), StageProfile.ThreadOf(s), profile.Seconds(s), profile.Calls(s))).ToList();
}
