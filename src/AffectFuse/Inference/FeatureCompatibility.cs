using AffectFuse.Data;
using AffectFuse.Model;

namespace AffectFuse.Inference;

/// <summary>Checks that a video's features are the ones a model was trained on: widths, and the feature set where both record one.</summary>
internal static class FeatureCompatibility
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
        CheckSet("visual", model.VisualFeatures, video.Meta.VisualSet, visualSource);
        CheckSet("audio", model.AudioFeatures, video.Meta.AudioSet, audioSource);
    }

    // Equal widths are not enough: 263 columns of mini-Xception outputs are not 263 columns of face-api outputs.
    private static void CheckSet(string modality, FeatureSetId? expected, FeatureSetId actual, string source)
    {
        if (expected is null || !expected.IsCheckable || !actual.IsCheckable || expected == actual)
            return;
        throw new AffectFuseException(source,
            $"{modality} features are '{actual}' but the model was trained on '{expected}'; extract them with the model's feature set (predict does this itself)");
    }
}
