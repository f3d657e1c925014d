using AffectFuse.Data;
using AffectFuse.Model;

namespace AffectFuse.Inference;

/// <summary>The whole per-video inference path: sliding-window voting, optional smoothing, argmax.</summary>
internal static class VideoPredictor
{
    /// <summary>Predicts every frame of <paramref name="video"/>.</summary>
    public static VideoPrediction Predict(AffectFuseModel model, VideoFeatures video, InferenceOptions options)
    {
        float[] voted = SlidingWindowPredictor.Predict(model, video, options);
        return VideoPrediction.FromProbabilities(video, TemporalSmoothing.Smooth(voted, options.SmoothingHalfWidth));
    }
}
