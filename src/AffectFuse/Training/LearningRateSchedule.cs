namespace AffectFuse.Training;

/// <summary>Linear warm-up to the peak rate, then cosine decay to zero at the last step.</summary>
internal sealed record LearningRateSchedule(double PeakRate, int WarmupSteps, long TotalSteps)
{
    /// <summary>Learning rate for optimiser step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (WarmupSteps > 0 && step < WarmupSteps)
            return PeakRate * (step + 1) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        return PeakRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
