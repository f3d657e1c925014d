using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>The scores an ablation keeps for one split: overall, by face presence, flips, per class, and NaN windows.</summary>
/// <param name="MacroF1">Macro-F1 over the 8 classes.</param>
/// <param name="Accuracy">Frame accuracy.</param>
/// <param name="FacePresentMacroF1">Macro-F1 on frames with a face.</param>
/// <param name="FaceAbsentMacroF1">Macro-F1 on frames without a face.</param>
/// <param name="AudioPresentMacroF1">Macro-F1 on frames with audio.</param>
/// <param name="AudioAbsentMacroF1">Macro-F1 on frames without audio.</param>
/// <param name="FlipsPerMinute">Predicted label changes per minute.</param>
/// <param name="TruthFlipsPerMinute">Ground-truth label changes per minute, for reference.</param>
/// <param name="PerClassF1">F1 of each class (index = label).</param>
/// <param name="Frames">Annotated frames scored.</param>
/// <param name="FaceAbsentFrames">Of those, frames without a face.</param>
/// <param name="Windows">Model windows run.</param>
/// <param name="NonFiniteWindows">Windows with a NaN or infinite output.</param>
internal sealed record AblationScores(
    double MacroF1, double Accuracy, double FacePresentMacroF1, double FaceAbsentMacroF1, double AudioPresentMacroF1, double AudioAbsentMacroF1,
    double FlipsPerMinute, double TruthFlipsPerMinute, IReadOnlyList<double> PerClassF1, int Frames, int FaceAbsentFrames, long Windows, long NonFiniteWindows)
{
    /// <summary>Runs <paramref name="model"/> over <paramref name="videos"/> with <paramref name="options"/> (the same path as
    /// <see cref="DatasetEvaluation.Score"/>: voting, smoothing, argmax) and scores it.</summary>
    public static AblationScores Evaluate(AffectFuseModel model, IReadOnlyList<LabelledVideo> videos, InferenceOptions options)
    {
        var voter = new NonFiniteWindowVoter(model);
        var evaluated = new List<EvaluatedVideo>(videos.Count);
        foreach (var video in videos)
        {
            float[] voted = voter.Vote(video.Features, options);
            var prediction = VideoPrediction.FromProbabilities(video.Features, TemporalSmoothing.Smooth(voted, options.SmoothingHalfWidth));
            evaluated.Add(new EvaluatedVideo(prediction, video.Labels));
        }
        return From(EvaluationResult.Compute(evaluated), voter.Windows, voter.NonFiniteWindows);
    }

    /// <summary>Keeps the figures the ablation reports from a full evaluation.</summary>
    public static AblationScores From(EvaluationResult result, long windows, long nonFiniteWindows)
    {
        var c = result.Conditions;
        return new AblationScores(
            result.Overall.MacroF1, result.Overall.Accuracy,
            c.FacePresent.MacroF1, c.FaceAbsent.MacroF1, c.AudioPresent.MacroF1, c.AudioAbsent.MacroF1,
            c.FlipsPerMinute, c.TruthFlipsPerMinute,
            result.Overall.PerClass.Select(p => p.F1).ToArray(),
            result.Overall.Frames, c.FaceAbsent.Frames, windows, nonFiniteWindows);
    }
}
