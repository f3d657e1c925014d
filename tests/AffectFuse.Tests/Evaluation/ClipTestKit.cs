using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Tests.Data;
using AffectFuse.Tests.Model;
using AffectFuse.Training;
using AffectFuse.Features;
using AffectFuse.Faces.Nets;

namespace AffectFuse.Tests.Evaluation;

/// <summary>Tiny feature files laid out as 'extract' writes them, with face-api's and the mini-Xception's own
/// probabilities set frame by frame so that each face net's baseline is known exactly, and a randomly initialised model
/// that reads a narrower set (face-api + prosody) than the files hold.</summary>
internal static class ClipTestKit
{
    public const VisualFeatureGroups FileVisual = VisualFeatureGroups.MiniXception | VisualFeatureGroups.FaceApiExpression;
    public const VisualFeatureGroups ModelVisual = VisualFeatureGroups.FaceApiExpression;
    public const AudioFeatureGroups Audio = AudioFeatureGroups.Prosody;

    /// <summary>A face on the frame: face-api's class (its own name, e.g. "happy") with probability
    /// <paramref name="Peak"/>, the rest shared evenly, and the mini-Xception's class the same way.</summary>
    public sealed record Face(string FaceApi, string Mini = "neutral", float Peak = 0.7f);

    /// <summary>A clip with <paramref name="faces"/> per frame (null = no face there); audio on every frame.</summary>
    public static VideoFeatures Clip(string id, params Face?[] faces)
    {
        var columns = VisualFeatureLayout.Columns(FileVisual);
        int dv = columns.Count, da = AudioFeatureSets.Width(Audio), frames = faces.Length;
        var visual = new float[frames * dv];
        var audio = new float[frames * da];
        for (int t = 0; t < frames; t++)
        {
            for (int d = 0; d < da; d++)
                audio[t * da + d] = TestFeatures.AudioValue(t, d) / 8;
            if (faces[t] is not { } face)
                continue;
            for (int d = 0; d < dv; d++)
                visual[t * dv + d] = TestFeatures.VisualValue(t, d) / 8;
            SetProbabilities(visual.AsSpan(t * dv, dv), columns, "faceapi_", VisualFeatureLayout.FaceApiClasses, face.FaceApi, face.Peak);
            SetProbabilities(visual.AsSpan(t * dv, dv), columns, "emotion_", EmotionBackbone.ClassNames, face.Mini, face.Peak);
        }
        return new VideoFeatures
        {
            VideoId = id,
            Visual = FeatureMatrix.Of(visual, dv),
            VisualMask = [.. faces.Select(f => f is not null)],
            Audio = FeatureMatrix.Of(audio, da),
            AudioMask = Enumerable.Repeat(true, frames).ToArray(),
            Timestamps = [.. Enumerable.Range(0, frames).Select(t => t / 25.0)],
            Meta = new FeatureMeta
            {
                Fps = 25, VisualFeatures = VisualFeatureLayout.Name(FileVisual), VisualVersion = VisualFeatureLayout.Version(FileVisual),
                AudioFeatures = AudioFeatureSets.Name(Audio), AudioVersion = AudioFeatureSets.Version(Audio),
            },
        };
    }

    /// <summary><paramref name="count"/> frames with the same face (or none).</summary>
    public static Face?[] Frames(int count, Face? face) => Enumerable.Repeat(face, count).ToArray();

    private static void SetProbabilities(Span<float> row, IReadOnlyList<string> columns, string prefix, IReadOnlyList<string> classes, string chosen, float peak)
    {
        if (!classes.Contains(chosen))
            throw new ArgumentException($"'{chosen}' is not one of {string.Join(", ", classes)}");
        foreach (string c in classes)
            row[IndexOf(columns, prefix + c)] = c == chosen ? peak : (1 - peak) / (classes.Count - 1);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (int i = 0; i < columns.Count; i++)
            if (columns[i] == name)
                return i;
        throw new ArgumentException($"no column {name}");
    }

    /// <summary>A RANDOMLY INITIALISED (and perturbed) model reading face-api + prosody, saved as a checkpoint: for the
    /// plumbing and arithmetic, not for accuracy.</summary>
    public static string Checkpoint(string folder)
    {
        string path = Path.Combine(folder, "random.ckpt");
        var options = new ModelOptions
        {
            VisualDim = VisualFeatureLayout.Width(ModelVisual), AudioDim = AudioFeatureSets.Width(Audio), Width = 16, Heads = 2, SelfLayers = 1,
            CrossLayers = 1, FeedForward = 24, MaxLength = 64,
            VisualFeatures = VisualFeatureLayout.Id(ModelVisual), AudioFeatures = AudioFeatureSets.Id(Audio),
        };
        TorchSharp.torch.manual_seed(3);
        using var model = new AffectFuseModel(options);
        ModelTestInputs.Perturb(model, 3);
        AffectFuse.Training.Checkpoint.Save(path, model, new TrainOptions
        {
            Model = options, Window = 32, Stride = 16, Validation = new InferenceOptions { Window = 16, Stride = 4 },
        }, new CheckpointState(0, 0, 0));
        return path;
    }

    /// <summary>The model's labels on <paramref name="file"/> with its own feature set cut out, as predict votes them.</summary>
    public static int[] ModelLabels(LoadedCheckpoint checkpoint, VideoFeatures file, bool maskFace = false, bool maskVoice = false)
    {
        var own = FeatureSetSelection.ForSets(file, checkpoint.Model.Options.VisualFeatures, checkpoint.Model.Options.AudioFeatures);
        own = new VideoFeatures
        {
            VideoId = own.VideoId, Visual = own.Visual, Audio = own.Audio, Timestamps = own.Timestamps, Meta = own.Meta,
            VisualMask = maskFace ? new bool[own.FrameCount] : own.VisualMask,
            AudioMask = maskVoice ? new bool[own.FrameCount] : own.AudioMask,
        };
        return VideoPredictor.Predict(checkpoint.Model, own, checkpoint.Options.Validation).Labels;
    }
}
