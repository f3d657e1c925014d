using System.Text.Json;
using System.Text.Json.Nodes;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Machine-readable clip-labelled evaluation: each system's clip scores (the model first) and each clip's labels.</summary>
internal static class ClipScoresJson
{
    /// <summary>Writes the report atomically.</summary>
    public static void Write(string path, ClipEvaluationResult result, InferenceOptions options, string? model = null, string? labels = null, string? folder = null)
        => AtomicFile.WriteAllText(path, ToJson(result, options, model, labels, folder));

    /// <summary>The report as indented JSON (snake_case keys; confusion rows = truth; a label null where a system gave none).</summary>
    public static string ToJson(ClipEvaluationResult result, InferenceOptions options, string? model = null, string? labels = null, string? folder = null)
    {
        var systems = new JsonArray();
        foreach (var s in result.Systems)
            systems.Add(new JsonObject
            {
                ["system"] = s.System.Key,
                ["name"] = s.System.Name,
                ["accuracy"] = s.Accuracy,
                ["macro_f1"] = s.MacroF1,
                ["clips"] = s.Clips,
                ["unlabelled"] = s.Unlabelled.Sum(),
                ["per_class"] = ScoresJson.PerClass(s.PerClass),
                ["confusion"] = ScoresJson.Matrix(s.Confusion),
            });
        var root = new JsonObject
        {
            ["model"] = model,
            ["labels"] = labels,
            ["folder"] = folder,
            ["options"] = ScoresJson.Options(options),
            ["clips"] = result.Clips.Count,
            ["classes_present"] = new JsonArray([.. result.ClassesPresent.Select(c => (JsonNode?)ExpressionClasses.Names[c])]),
            ["systems"] = systems,
            ["per_clip"] = PerClip(result),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonArray PerClip(ClipEvaluationResult result)
    {
        var clips = new JsonArray();
        foreach (var clip in result.Clips)
        {
            var predicted = new JsonObject();
            foreach (var s in result.Systems)
                predicted[s.System.Key] = clip.Predicted[s.System] is { } label ? ExpressionClasses.Names[label] : null;
            clips.Add(new JsonObject
            {
                ["clip"] = clip.Clip,
                ["truth"] = ExpressionClasses.Names[clip.Truth],
                ["frames"] = clip.Frames,
                ["face_frames"] = clip.FaceFrames,
                ["labels"] = predicted,
            });
        }
        return clips;
    }
}
