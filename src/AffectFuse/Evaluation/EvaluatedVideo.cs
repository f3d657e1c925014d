using AffectFuse.Inference;

namespace AffectFuse.Evaluation;

/// <summary>A video's predictions beside its ground truth (one label per frame, -1 where not annotated).</summary>
internal sealed record EvaluatedVideo
{
    /// <summary>The predictions.</summary>
    public VideoPrediction Prediction { get; }

    /// <summary>Ground-truth labels, same length as the predictions.</summary>
    public int[] Truth { get; }

    /// <summary>Pairs a prediction with its truth; lengths must agree.</summary>
    public EvaluatedVideo(VideoPrediction prediction, int[] truth)
    {
        if (prediction.FrameCount != truth.Length)
            throw new ArgumentException($"{prediction.VideoId}: {prediction.FrameCount} predicted frames but {truth.Length} labels", nameof(truth));
        Prediction = prediction;
        Truth = truth;
    }
}
