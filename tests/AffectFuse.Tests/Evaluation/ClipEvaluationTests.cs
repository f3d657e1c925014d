using System.Text.Json.Nodes;
using Xunit;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Training;
using AffectFuse.Workflows;
using static AffectFuse.Tests.Evaluation.ClipTestKit;

namespace AffectFuse.Tests.Evaluation;

/// <summary>Clip-labelled evaluation of a folder of feature files: clip-majority labels of the model, its single-branch
/// conditions and each face net, scored and written.</summary>
public class ClipEvaluationTests
{
    private static readonly Face Happy = new("happy", "happy"), Sad = new("sad", "angry"), UnsureSad = new("sad", "sad", 0.3f), SureSurprised = new("surprised", "fear", 0.95f);

    /// <summary>Four clips: happy (face-api right), sad (right, its mini-Xception says angry), no face at all, and one
    /// whose face-api majority (sad, unsure) loses to its mean (surprised, sure).</summary>
    internal static (string Folder, string Labels, string Checkpoint, VideoFeatures[] Files) Corpus(TempFolder temp)
    {
        string folder = temp.Folder("clips");
        var files = new[]
        {
            Clip("happy_01", [.. Frames(12, Happy), .. Frames(4, null)]),
            Clip("sad_01", Frames(20, Sad)),
            Clip("voice_only", Frames(10, null)),
            Clip("mixed", [.. Frames(5, UnsureSad), .. Frames(4, SureSurprised)]),
        };
        foreach (var f in files)
            FeatureFile.Save(f, Path.Combine(folder, f.VideoId + ".npz"));
        string labels = temp.File("labels.csv");
        File.WriteAllText(labels, "clip,emotion\nhappy_01,happy\nsad_01.npz,Sadness\nvoice_only,calm\nmixed,5\n");
        return (folder, labels, ClipTestKit.Checkpoint(temp.Path), files);
    }

    [Fact]
    public void ScoresEveryClipByTheMajorityOfItsFramesBesideEachBaseline()
    {
        using var temp = new TempFolder();
        var (folder, labels, ckpt, files) = Corpus(temp);
        var checkpoint = AffectFuse.Training.Checkpoint.Load(ckpt);
        var request = new ClipEvaluationRequest
        {
            Folder = folder, Labels = labels, ModelPath = ckpt, Json = temp.File("out/scores.json"), PerClipCsv = temp.File("out/clips.csv"),
            ConfusionPng = temp.File("out/confusion.png"),
        };

        var outcome = ClipEvaluationWorkflow.Run(checkpoint, request);
        var result = outcome.Result;

        Assert.False(outcome.Media);
        Assert.Equal(checkpoint.Options.Validation, outcome.Inference);
        Assert.Equal(["model", "model_face_masked", "model_voice_masked", "faceapi", "faceapi_mean", "minixception"], result.Systems.Select(s => s.System.Key));
        Assert.Equal(["happy_01", "sad_01.npz", "voice_only", "mixed"], result.Clips.Select(c => c.Clip));
        Assert.Equal([4, 5, 0, 5], result.Clips.Select(c => c.Truth));
        Assert.Equal([12, 20, 0, 9], result.Clips.Select(c => c.FaceFrames));
        Assert.Equal([0, 4, 5], result.ClassesPresent);

        int?[] Labels(ComparedSystem s) => [.. result.Clips.Select(c => c.Predicted[s])];
        Assert.Equal([4, 5, null, 5], Labels(ComparedSystem.FaceApi));
        Assert.Equal([4, 5, null, 6], Labels(ComparedSystem.FaceApiMean));
        Assert.Equal([4, 1, null, 5], Labels(ComparedSystem.MiniXception));
        Assert.Equal(files.Select(f => ClipOutcome.Majority(ModelLabels(checkpoint, f))), Labels(ComparedSystem.Model));
        Assert.Equal(files.Select(f => ClipOutcome.Majority(ModelLabels(checkpoint, f, maskFace: true))), Labels(ComparedSystem.FaceMasked));
        Assert.Equal(files.Select(f => ClipOutcome.Majority(ModelLabels(checkpoint, f, maskVoice: true))), Labels(ComparedSystem.VoiceMasked));

        // face-api: 3 of 4 right (the clip without a face counts as wrong); Neutral F1 0, Happiness 1, Sadness 1.
        var faceApi = result.Systems.Single(s => s.System == ComparedSystem.FaceApi);
        Assert.Equal(0.75, faceApi.Accuracy, 12);
        Assert.Equal(2.0 / 3, faceApi.MacroF1, 12);
        Assert.Equal(1, faceApi.Unlabelled[0]);
        var mean = result.Systems.Single(s => s.System == ComparedSystem.FaceApiMean);
        Assert.Equal(0.5, mean.Accuracy, 12);
        Assert.Equal(1, mean.Confusion[5, 6]);

        var json = JsonNode.Parse(File.ReadAllText(request.Json))!;
        Assert.Equal(4, (int)json["clips"]!);
        Assert.Equal(["Neutral", "Happiness", "Sadness"], json["classes_present"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(0.75, (double)json["systems"]![3]!["accuracy"]!, 12);
        Assert.Null(json["per_clip"]![2]!["labels"]!["faceapi"]);
        Assert.Equal("Surprise", (string)json["per_clip"]![3]!["labels"]!["faceapi_mean"]!);
        string[] csv = File.ReadAllLines(request.PerClipCsv);
        Assert.Equal("clip,truth,frames,face_frames,model,model_face_masked,model_voice_masked,faceapi,faceapi_mean,minixception", csv[0]);
        Assert.EndsWith(",Sadness,Surprise,Sadness", csv[4]);
        Assert.StartsWith("voice_only,Neutral,10,0,", csv[3]);
        Assert.EndsWith(",,,", csv[3]);
        Assert.True(new FileInfo(request.ConfusionPng).Length > 0);
    }

    [Theory]
    [InlineData("happy_01,happy\nmissing,sad\n", "line 2: clip 'missing' has no feature file in")]
    [InlineData("happy_01,happy\nhappy_01.npz,sad\n", "line 2: clip 'happy_01.npz' is the same file as 'happy_01' (line 1)")]
    [InlineData("happy_01,ecstatic\n", "line 1: unknown label 'ecstatic'")]
    public void ALabelFileThatDoesNotFitTheFolderIsRefusedNamingTheLine(string csv, string problem)
    {
        using var temp = new TempFolder();
        var (folder, labels, ckpt, _) = Corpus(temp);
        File.WriteAllText(labels, csv);
        var request = new ClipEvaluationRequest { Folder = folder, Labels = labels, ModelPath = ckpt };
        var e = Assert.Throws<AffectFuseException>(() => ClipEvaluationWorkflow.Run(AffectFuse.Training.Checkpoint.Load(ckpt), request));
        Assert.Equal(labels, e.File);
        Assert.StartsWith(problem, e.Problem);
    }

    [Fact]
    public void AFolderOfBothKindsOrOfNeitherIsRefused()
    {
        using var temp = new TempFolder();
        var (folder, labels, ckpt, _) = Corpus(temp);
        var checkpoint = AffectFuse.Training.Checkpoint.Load(ckpt);
        File.WriteAllBytes(Path.Combine(folder, "extra.mp4"), [1, 2, 3]);
        var e = Assert.Throws<AffectFuseException>(() => ClipEvaluationWorkflow.Run(checkpoint, new ClipEvaluationRequest { Folder = folder, Labels = labels, ModelPath = ckpt }));
        Assert.Equal(folder, e.File);
        Assert.StartsWith("holds both .npz feature files and media files", e.Problem);

        string empty = temp.Folder("empty");
        e = Assert.Throws<AffectFuseException>(() => ClipEvaluationWorkflow.Run(checkpoint, new ClipEvaluationRequest { Folder = empty, Labels = labels, ModelPath = ckpt }));
        Assert.StartsWith("holds no .npz feature files and no media files", e.Problem);
    }

    [Fact]
    public void MediaClipsMatchByRelativePathOrByANameOnlyOneFileHas()
    {
        using var temp = new TempFolder();
        string folder = temp.Folder("media");
        foreach (string file in new[] { "Actor_01/a.mp4", "Actor_02/a.mp4", "Actor_02/b.mkv", "c.avi" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.WriteAllBytes(Path.Combine(folder, file), [0]);
        }
        ClipLabel Label(string clip, int line) => new(clip, 0, line);
        var warnings = new List<string>();

        var found = ClipFiles.Find(folder, "labels.csv", [Label("Actor_01/a", 1), Label("./Actor_02/a.mp4", 2), Label("b", 3)], warnings.Add);

        Assert.True(found.Media);
        Assert.Equal(["Actor_01/a.mp4", "Actor_02/a.mp4", "Actor_02/b.mkv"], found.Files.Select(f => Path.GetRelativePath(folder, f.Path).Replace('\\', '/')));
        Assert.Equal([$"{folder}: 1 of its 4 media files are not in labels.csv and are left out"], warnings);
        var e = Assert.Throws<AffectFuseException>(() => ClipFiles.Find(folder, "labels.csv", [Label("a", 7)], null));
        Assert.StartsWith("line 7: clip 'a' could be ", e.Problem);
    }

    [Fact]
    public void APersonOfAVideoWhoseFacesWereAllFollowedFindsTheVideosFile()
    {
        using var temp = new TempFolder();
        string folder = temp.Folder("media");
        foreach (string file in new[] { "Actor_03/talk.mp4", "other.mp4" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.WriteAllBytes(Path.Combine(folder, file), [0]);
        }
        ClipLabel Label(string clip, int line) => new(clip, 0, line);

        var found = ClipFiles.Find(folder, "labels.csv", [Label("talk_left", 1), Label("Actor_03/talk_right", 2), Label("other_person2", 3)], null);

        Assert.Equal([("Actor_03/talk.mp4", "talk_left"), ("Actor_03/talk.mp4", "talk_right"), ("other.mp4", "other_person2")],
            found.Files.Select(f => (Path.GetRelativePath(folder, f.Path).Replace('\\', '/'), f.Person)));
        var e = Assert.Throws<AffectFuseException>(() => ClipFiles.Find(folder, "labels.csv", [Label("talk_left", 1), Label("talk_left.mp4", 2)], null));
        Assert.StartsWith("line 2: clip 'talk_left.mp4' is the same file as 'talk_left'", e.Problem);
        e = Assert.Throws<AffectFuseException>(() => ClipFiles.Find(folder, "labels.csv", [Label("talk_middle", 4)], null));
        Assert.StartsWith("line 4: clip 'talk_middle' has no media file", e.Problem);
    }
}
