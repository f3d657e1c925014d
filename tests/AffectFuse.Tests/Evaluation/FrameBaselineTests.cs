using System.Text.Json.Nodes;
using Xunit;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Workflows;
using static AffectFuse.Tests.Evaluation.ClipTestKit;

namespace AffectFuse.Tests.Evaluation;

/// <summary>'evaluate' scores the model's single-branch conditions and each face net alone on the same frames.</summary>
public class FrameBaselineTests
{
    private static readonly Face Happy = new("happy", "sad"), Angry = new("angry", "angry");

    [Fact]
    public void EachSystemIsScoredOnTheSameFramesWithNeutralWhereANetSeesNoFace()
    {
        using var temp = new TempFolder();
        string features = temp.Folder("features"), labelsDir = temp.Folder("labels");
        var checkpoint = AffectFuse.Training.Checkpoint.Load(ClipTestKit.Checkpoint(temp.Path));
        var files = new[]
        {
            Clip("v1", [.. Frames(10, Happy), .. Frames(6, null), .. Frames(8, Angry)]),
            Clip("v2", [.. Frames(4, null), .. Frames(14, Angry)]),
        };
        var truths = new[]
        {
            Enumerable.Range(0, 24).Select(t => t < 10 ? 4 : t < 13 ? -1 : t < 16 ? 0 : 1).ToArray(),
            Enumerable.Range(0, 18).Select(t => t < 4 ? 5 : t < 10 ? 1 : 6).ToArray(),
        };
        for (int i = 0; i < files.Length; i++)
        {
            FeatureFile.Save(files[i], Path.Combine(features, files[i].VideoId + ".npz"));
            ExprLabelFile.Write(Path.Combine(labelsDir, files[i].VideoId + ".txt"), truths[i]);
        }
        var request = new EvaluationRequest
        {
            ModelPath = "random.ckpt", Source = new DatasetSource { FeaturesDir = features, LabelsDir = labelsDir },
            Inference = checkpoint.Options.Validation, Json = temp.File("scores.json"),
        };

        var result = EvaluationWorkflow.Run(checkpoint, request).Result;

        int[] truth = [.. truths.SelectMany(t => t)];
        Assert.Equal([ComparedSystem.FaceMasked, ComparedSystem.VoiceMasked, ComparedSystem.FaceApi, ComparedSystem.MiniXception],
            result.Baselines.Select(b => b.System));
        // face-api: Happiness on v1's first 10 frames, Anger on the angry frames, Neutral where there is no face.
        int[] faceApi = [.. Enumerable.Repeat(4, 10), .. Enumerable.Repeat(0, 6), .. Enumerable.Repeat(1, 8), .. Enumerable.Repeat(0, 4), .. Enumerable.Repeat(1, 14)];
        AssertScores(Metrics.Compute(truth, faceApi), result.Baselines[2].Scores);
        int[] mini = [.. Enumerable.Repeat(5, 10), .. Enumerable.Repeat(0, 6), .. Enumerable.Repeat(1, 8), .. Enumerable.Repeat(0, 4), .. Enumerable.Repeat(1, 14)];
        AssertScores(Metrics.Compute(truth, mini), result.Baselines[3].Scores);
        int[] faceMasked = [.. files.SelectMany(f => ModelLabels(checkpoint, f, maskFace: true))];
        int[] voiceMasked = [.. files.SelectMany(f => ModelLabels(checkpoint, f, maskVoice: true))];
        AssertScores(Metrics.Compute(truth, faceMasked), result.Baselines[0].Scores);
        AssertScores(Metrics.Compute(truth, voiceMasked), result.Baselines[1].Scores);

        var json = JsonNode.Parse(File.ReadAllText(request.Json))!["baselines"]!.AsArray();
        Assert.Equal(["model_face_masked", "model_voice_masked", "faceapi", "minixception"], json.Select(b => (string)b!["system"]!));
        Assert.Equal(result.Baselines[2].Scores.MacroF1, (double)json[2]!["macro_f1"]!, 12);

        Assert.Empty(EvaluationWorkflow.Run(checkpoint, request with { Json = null, Baselines = false }).Result.Baselines);
    }

    private static void AssertScores(ClassificationScores expected, ClassificationScores actual)
    {
        Assert.Equal(expected.Frames, actual.Frames);
        Assert.Equal(expected.MacroF1, actual.MacroF1, 12);
        Assert.Equal(expected.Accuracy, actual.Accuracy, 12);
        Assert.Equal(expected.Confusion, actual.Confusion);
    }
}
