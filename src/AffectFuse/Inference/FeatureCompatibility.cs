using AffectFuse.Data;
using AffectFuse.Model;

namespace AffectFuse.Inference;

/// <summary>Checks that a video's feature widths are the ones a model was trained on.</summary>
public static class FeatureCompatibility
{
    /// <summary>Throws an <see cref="AffectFuseException"/> naming <paramref name="source"/> when a width differs.</summary>
    public static void Check(ModelOptions model, VideoFeatures video, string source)
        => Check(model, video, source, source);

    /// <summary>As <see cref="Check(ModelOptions, VideoFeatures, string)"/> with a separate file per modality ("bring your own" <c>.npy</c> folders).</summary>
    public static void Check(ModelOptions model, VideoFeatures video, string visualSource, string audioSource)
    {
        if (video.VisualDim != model.VisualDim)
            throw new AffectFuseException(visualSource, $"visual features are {video.VisualDim} wide but the model expects {model.VisualDim}");
        if (video.AudioDim != model.AudioDim)
            throw new AffectFuseException(audioSource, $"audio features are {video.AudioDim} wide but the model expects {model.AudioDim}");
    }
}
