using AffectFuse.Data;
using AffectFuse.Model;

namespace AffectFuse.Inference;

/// <summary>The whole per-video inference path: sliding-window voting, optional smoothing, argmax.</summary>
internal static class VideoPredictor
{
    /// <summary>Predicts every frame of <paramref name="video"/>. A person who has only a share of the voice
    /// (<see cref="VideoFeatures.VoiceShare"/>) gets, per frame, that share of the prediction with the sound and the rest
    /// of the prediction without it: someone silent while another talks is labelled as if there were no voice.</summary>
    public static VideoPrediction Predict(AffectFuseModel model, VideoFeatures video, InferenceOptions options)
    {
        float[] voted = SlidingWindowPredictor.Predict(model, video, options);
        if (video.VoiceShare is { } share)
            Blend(voted, SlidingWindowPredictor.Predict(model, video.WithoutVoice(), options), share);
        return VideoPrediction.FromProbabilities(video, TemporalSmoothing.Smooth(voted, options.SmoothingHalfWidth));
    }

    // withVoice[t] = share[t] · withVoice[t] + (1 − share[t]) · withoutVoice[t], per class.
    private static void Blend(float[] withVoice, float[] withoutVoice, float[] share)
    {
        const int k = ExpressionClasses.Count;
        for (int t = 0; t < share.Length; t++)
            for (int c = t * k; c < (t + 1) * k; c++)
                withVoice[c] = share[t] * withVoice[c] + (1 - share[t]) * withoutVoice[c];
    }
}
