using AffectFuse.Data;
using AffectFuse.Model;

namespace AffectFuse.Inference;

/// <summary>Sliding-window soft voting over a whole video.</summary>
public static class SlidingWindowPredictor
{
    /// <summary>Per-frame class probabilities, row-major <c>[T, 8]</c>; every frame covered.</summary>
    public static float[] Predict(AffectFuseModel model, VideoFeatures video, InferenceOptions options)
        => throw new NotImplementedException("inference helper");
}
