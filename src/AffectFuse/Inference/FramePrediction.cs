namespace AffectFuse.Inference;

/// <summary>One frame's prediction.</summary>
/// <param name="Index">Zero-based frame index.</param>
/// <param name="Time">Frame time in seconds.</param>
/// <param name="Label">Predicted class (0..7, <see cref="ExpressionClasses"/>).</param>
/// <param name="LabelName">The class's name.</param>
/// <param name="Probabilities">The 8 class probabilities.</param>
/// <param name="FacePresent">True when a face was found in the frame.</param>
/// <param name="AudioPresent">True when the frame lies within an audio track.</param>
/// <param name="SpeechProbability">Voice-activity probability around the frame (NaN when unknown).</param>
public sealed record FramePrediction(
    int Index,
    double Time,
    int Label,
    string LabelName,
    float[] Probabilities,
    bool FacePresent,
    bool AudioPresent,
    float SpeechProbability)
{
    /// <summary>The predicted class's probability.</summary>
    public float Confidence => Probabilities[Label];
}
