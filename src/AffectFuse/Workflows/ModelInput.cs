using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Features;

namespace AffectFuse.Workflows;

/// <summary>Stored features as a model reads them: the model's feature groups cut from files that hold more, checked
/// against the model's widths and feature set, errors naming the feature file.</summary>
internal static class ModelInput
{
    /// <summary>The video as the model reads it; fails, naming the feature file, when its widths or feature set differ
    /// from the model's.</summary>
    public static VideoFeatures Fit(ModelOptions model, VideoFeatures video, DatasetSource source)
    {
        video = FeatureSetSelection.ForSets(video, model.VisualFeatures, model.AudioFeatures);
        if (source.FeaturesDir is not null)
            FeatureCompatibility.Check(model, video, FeatureFilePath(source.FeaturesDir, video.VideoId, FeatureFile.Extension));
        else
            FeatureCompatibility.Check(model, video,
                source.VisualNpyDir is null ? "(no visual features given)" : FeatureFilePath(source.VisualNpyDir, video.VideoId, ".npy"),
                source.AudioNpyDir is null ? "(no audio features given)" : FeatureFilePath(source.AudioNpyDir, video.VideoId, ".npy"));
        return video;
    }

    private static string FeatureFilePath(string dir, string videoId, string extension)
    {
        var candidates = AffWild2Layout.FeatureIdsFor(videoId).Select(id => Path.Combine(dir, id + extension)).ToList();
        return candidates.FirstOrDefault(File.Exists) ?? candidates[0];
    }
}
