using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Evaluation;

/// <summary>Runs a model over labelled videos with soft voting and scores the result (used by 'evaluate' and by training's validation).</summary>
internal static class DatasetEvaluation
{
    /// <summary>Overall and per-condition scores of <paramref name="model"/> on <paramref name="videos"/>.</summary>
    public static EvaluationResult Score(AffectFuseModel model, IReadOnlyList<LabelledVideo> videos, InferenceOptions options, Action<int, int>? progress = null)
        => EvaluationResult.Compute(Predict(model, videos, options, progress));

    /// <summary>Each video's predictions beside its labels; <paramref name="progress"/> receives (videos done, total).</summary>
    public static IReadOnlyList<EvaluatedVideo> Predict(AffectFuseModel model, IReadOnlyList<LabelledVideo> videos, InferenceOptions options, Action<int, int>? progress = null)
    {
        var evaluated = new List<EvaluatedVideo>(videos.Count);
        foreach (var video in videos)
        {
            evaluated.Add(new EvaluatedVideo(VideoPredictor.Predict(model, video.Features, options), video.Labels));
            progress?.Invoke(evaluated.Count, videos.Count);
        }
        return evaluated;
    }
}
