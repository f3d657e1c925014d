using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Evaluation;

/// <summary>The settings a sweep tries: every window × stride fraction × smoothing half-width.</summary>
/// <param name="Windows">Window lengths T in frames.</param>
/// <param name="StrideFractions">Strides as fractions of the window (1 = no overlap); rounded, at least 1 frame.</param>
/// <param name="SmoothingHalfWidths">Half-widths δ of the centred moving average (0 = none).</param>
internal sealed record SweepGrid(IReadOnlyList<int> Windows, IReadOnlyList<double> StrideFractions, IReadOnlyList<int> SmoothingHalfWidths)
{
    /// <summary>T ∈ {32, 64, 128, 256}, S ∈ {T/4, T/2, T}, δ ∈ {0, 8, 16, 32, 50} (±50 frames is the published best smoothing on Aff-Wild2).</summary>
    public static SweepGrid Default { get; } = new([32, 64, 128, 256], [0.25, 0.5, 1.0], [0, 8, 16, 32, 50]);

    /// <summary>Distinct (window, stride) pairs in grid order.</summary>
    public IReadOnlyList<(int Window, int Stride)> WindowStrides()
    {
        var pairs = new List<(int, int)>();
        foreach (int window in Windows)
        {
            if (window < 1)
                throw OptionCheck.Bad("SweepGrid.Windows", "every window must be at least 1 frame", window);
            foreach (double fraction in StrideFractions)
            {
                if (!(fraction > 0 && fraction <= 1))
                    throw OptionCheck.Bad("SweepGrid.StrideFractions", "every stride fraction must be in (0, 1]", fraction);
                int stride = Math.Clamp((int)Math.Round(window * fraction), 1, window);
                if (!pairs.Contains((window, stride)))
                    pairs.Add((window, stride));
            }
        }
        return pairs;
    }
}

/// <summary>One setting of a sweep and its validation scores.</summary>
internal sealed record SweepPoint(InferenceOptions Options, ClassificationScores Scores);

/// <summary>All settings tried and the best by macro-F1 (the first on ties).</summary>
internal sealed record SweepResult(IReadOnlyList<SweepPoint> Points, SweepPoint Best);

/// <summary>Evaluates a grid of window, stride and smoothing settings on labelled videos.</summary>
internal static class Sweep
{
    /// <summary>Runs the grid with <paramref name="model"/>; centre weighting and batch size come from <paramref name="baseOptions"/>.
    /// <paramref name="progress"/> receives (settings done, settings total) after each window/stride pass.</summary>
    public static SweepResult Run(AffectFuseModel model, IReadOnlyList<LabelledVideo> videos, SweepGrid grid,
        InferenceOptions baseOptions, Action<int, int>? progress = null)
    {
        int maxLength = model.Options.MaxLength;
        var usable = grid with { Windows = grid.Windows.Where(w => w <= maxLength).ToArray() };
        if (usable.Windows.Count == 0)
            throw OptionCheck.Fail("SweepGrid.Windows", $"no window fits the model's maximum length {maxLength}");
        return Run((video, options) => SlidingWindowPredictor.Predict(model, video, options), videos, usable, baseOptions, progress);
    }

    /// <summary>The sweep with any voter (video, options → voted probabilities <c>[T,8]</c>); voting runs once per
    /// window/stride and every smoothing width reuses it.</summary>
    public static SweepResult Run(Func<VideoFeatures, InferenceOptions, float[]> vote, IReadOnlyList<LabelledVideo> videos,
        SweepGrid grid, InferenceOptions baseOptions, Action<int, int>? progress = null)
    {
        if (videos.Count == 0)
            throw new AffectFuseException(null, "a sweep needs at least one labelled video");
        var windowStrides = grid.WindowStrides();
        var deltas = grid.SmoothingHalfWidths.Distinct().ToArray();
        if (windowStrides.Count == 0 || deltas.Length == 0)
            throw new AffectFuseException(null, "the sweep grid is empty");
        if (deltas.Any(d => d < 0))
            throw OptionCheck.Fail("SweepGrid.SmoothingHalfWidths", "every smoothing half-width must be 0 or more");

        var points = new List<SweepPoint>();
        int done = 0;
        foreach (var (window, stride) in windowStrides)
        {
            var options = baseOptions with { Window = window, Stride = stride, SmoothingHalfWidth = 0 };
            var confusions = deltas.Select(_ => new int[ExpressionClasses.Count, ExpressionClasses.Count]).ToArray();
            foreach (var video in videos)
            {
                float[] voted = vote(video.Features, options);
                for (int d = 0; d < deltas.Length; d++)
                {
                    int[] labels = TemporalSmoothing.Argmax(TemporalSmoothing.Smooth(voted, deltas[d]));
                    Metrics.AddToConfusion(confusions[d], video.Labels, labels);
                }
            }
            for (int d = 0; d < deltas.Length; d++)
                points.Add(new SweepPoint(options with { SmoothingHalfWidth = deltas[d] }, Metrics.FromConfusion(confusions[d])));
            progress?.Invoke(++done, windowStrides.Count);
        }

        var best = points[0];
        foreach (var point in points)
            if (point.Scores.MacroF1 > best.Scores.MacroF1)
                best = point;
        return new SweepResult(points, best);
    }
}
