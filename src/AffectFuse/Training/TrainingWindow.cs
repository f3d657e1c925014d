using AffectFuse.Data;

namespace AffectFuse.Training;

/// <summary>A window of <see cref="Length"/> frames starting at <see cref="Start"/> in video <see cref="Video"/>.</summary>
internal readonly record struct TrainingWindow(int Video, int Start, int Length)
{
    /// <summary>Windows of <paramref name="window"/> frames every <paramref name="stride"/> frames over each video; the
    /// last window ends at the video's last frame so the tail is trained on too, and a video shorter than the window
    /// gives one short window (padded with masked frames when batched).</summary>
    public static List<TrainingWindow> Plan(IReadOnlyList<LabelledVideo> videos, int window, int stride)
        => Plan(videos, window, stride, phase: null);

    /// <summary>As <see cref="Plan(IReadOnlyList{LabelledVideo}, int, int)"/>, but with <paramref name="phase"/> given each
    /// video's grid of windows starts at a random offset in [0, stride) (plus a window at frame 0, so the head is still
    /// covered): window boundaries move from epoch to epoch, so no frame always sits at a window's edge.</summary>
    public static List<TrainingWindow> Plan(IReadOnlyList<LabelledVideo> videos, int window, int stride, Random? phase)
    {
        if (window < 1 || stride < 1)
            throw new ArgumentOutOfRangeException(nameof(window), "window and stride must be positive");
        var plan = new List<TrainingWindow>();
        for (int v = 0; v < videos.Count; v++)
        {
            int frames = videos[v].Features.FrameCount;
            if (frames == 0)
                continue;
            if (frames <= window)
            {
                plan.Add(new TrainingWindow(v, 0, frames));
                continue;
            }
            int start = phase is null ? 0 : phase.Next(Math.Min(stride, frames - window + 1));
            if (start > 0)
                plan.Add(new TrainingWindow(v, 0, window));
            for (; start + window <= frames; start += stride)
                plan.Add(new TrainingWindow(v, start, window));
            if (plan[^1].Start + window < frames)
                plan.Add(new TrainingWindow(v, frames - window, window));
        }
        return plan;
    }
}
