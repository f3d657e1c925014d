using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Evaluation;

/// <summary>One labelled clip: its true class and each system's clip label (null where the system had nothing to say:
/// a face net on a clip without a face frame, which then counts as wrong).</summary>
/// <param name="Clip">The clip as the label file names it.</param>
/// <param name="Truth">The true class.</param>
/// <param name="Frames">Frames the clip has.</param>
/// <param name="FaceFrames">Frames with a face.</param>
/// <param name="Predicted">Each system's clip label.</param>
internal sealed record ClipOutcome(string Clip, int Truth, int Frames, int FaceFrames, IReadOnlyDictionary<ComparedSystem, int?> Predicted)
{
    /// <summary>Every system's clip label on one clip: the model and its single-branch conditions predict the frames as
    /// <c>predict</c> does (sliding-window soft voting with <paramref name="options"/>) and the clip takes the majority
    /// of its frames; each face net votes on its face frames only; face-api's mean takes its probabilities averaged over
    /// the face frames. <paramref name="full"/> holds the file's columns (for the face nets), <paramref name="own"/> the
    /// model's feature set cut out of them.</summary>
    internal static ClipOutcome Predict(AffectFuseModel model, ClipLabel label, VideoFeatures full, VideoFeatures own, InferenceOptions options)
    {
        var predicted = new Dictionary<ComparedSystem, int?>
        {
            [ComparedSystem.Model] = Majority(VideoPredictor.Predict(model, own, options).Labels),
        };
        foreach (var (system, labels) in SystemComparison.SingleBranchLabels(model, own, options))
            predicted[system] = Majority(labels);
        foreach (var (system, votes) in FaceNetBaseline.Of(full))
        {
            predicted[system] = Majority(votes.Frames);
            if (system == ComparedSystem.FaceApi)
                predicted[ComparedSystem.FaceApiMean] = votes.Mean;
        }
        return new ClipOutcome(label.Clip, label.Label, full.FrameCount, full.VisualMask.Count(m => m), predicted);
    }

    /// <summary>The commonest label among <paramref name="labels"/>; a negative label (a face net on a frame without a
    /// face) does not vote; a tie goes to the lowest class index; null when no frame voted.</summary>
    public static int? Majority(ReadOnlySpan<int> labels)
    {
        var counts = new double[ExpressionClasses.Count];
        bool any = false;
        foreach (int label in labels)
        {
            if (label < 0)
                continue;
            counts[label]++;
            any = true;
        }
        return any ? FaceNetBaseline.Argmax(counts) : null;
    }
}
