using Xunit;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Features.Visual;
using AffectFuse.Workflows;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Evaluation;

/// <summary>Clip-labelled evaluation of media files: extracted first through the extraction workflow into a cache that
/// the next run reuses. The model is RANDOMLY INITIALISED: this checks the plumbing.</summary>
[Collection(PipelineMediaCollection.Name)]
public class ClipMediaEvaluationTests(PipelineMedia media)
{
    [Fact]
    public void MediaAreExtractedWithTheModelsSetAndBothFaceNetsIntoTheCacheOnce()
    {
        using var temp = new TempFolder();
        string folder = temp.Folder("media"), actor = temp.Folder("media/Actor_01");
        File.Copy(media.Video, Path.Combine(actor, "talking.mp4"));
        string labels = temp.File("labels.csv");
        File.WriteAllText(labels, "Actor_01/talking,happy\n");
        string ckpt = media.RandomCheckpoint();
        var checkpoint = AffectFuse.Training.Checkpoint.Load(ckpt);
        var request = new ClipEvaluationRequest { Folder = folder, Labels = labels, ModelPath = ckpt, FeaturesCache = temp.File("cache") };

        var first = ClipEvaluationWorkflow.Run(checkpoint, request);
        var again = ClipEvaluationWorkflow.Run(checkpoint, request);

        Assert.True(first.Media);
        Assert.Equal(1, first.Extracted);
        Assert.Equal(0, again.Extracted);
        var cached = FeatureFile.Load(Path.Combine(request.FeaturesCache!, "talking.npz"));
        var groups = VisualFeatureLayout.Parse(cached.Meta.VisualFeatures)!.Value;
        Assert.True(groups.HasFlag(VisualFeatureGroups.FaceApiExpression) && groups.HasFlag(VisualFeatureGroups.MiniXception), cached.Meta.VisualFeatures);
        Assert.Equal(["model", "model_face_masked", "model_voice_masked", "faceapi", "faceapi_mean", "minixception"], first.Result.Systems.Select(s => s.System.Key));
        var clip = Assert.Single(first.Result.Clips);
        Assert.Equal(("Actor_01/talking", 4, PipelineMedia.Frames), (clip.Clip, clip.Truth, clip.Frames));
        Assert.InRange(clip.FaceFrames, 100, PipelineMedia.Frames);
        Assert.Equal(clip.Predicted, again.Result.Clips[0].Predicted);
    }
}
