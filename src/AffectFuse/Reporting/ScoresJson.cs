using System.Text.Json;
using System.Text.Json.Nodes;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Machine-readable evaluation report: overall scores, the condition split, the settings used and, when run, the sweep.</summary>
public static class ScoresJson
{
    /// <summary>Writes the report atomically.</summary>
    public static void Write(string path, EvaluationResult result, InferenceOptions options, SweepResult? sweep = null, string? model = null)
        => AtomicFile.WriteAllText(path, ToJson(result, options, sweep, model));

    /// <summary>The report as indented JSON (snake_case keys; confusion rows = truth).</summary>
    public static string ToJson(EvaluationResult result, InferenceOptions options, SweepResult? sweep = null, string? model = null)
    {
        var c = result.Conditions;
        var root = new JsonObject
        {
            ["model"] = model,
            ["options"] = Options(options),
            ["scores"] = Scores(result.Overall),
            ["conditions"] = new JsonObject
            {
                ["face_present"] = Scores(c.FacePresent),
                ["face_absent"] = Scores(c.FaceAbsent),
                ["audio_present"] = Scores(c.AudioPresent),
                ["audio_absent"] = Scores(c.AudioAbsent),
                ["flips_per_minute"] = c.FlipsPerMinute,
                ["truth_flips_per_minute"] = c.TruthFlipsPerMinute,
                ["minutes"] = c.Minutes,
            },
        };
        if (sweep is not null)
        {
            var points = new JsonArray();
            foreach (var p in sweep.Points)
                points.Add(new JsonObject
                {
                    ["window"] = p.Options.Window,
                    ["stride"] = p.Options.Stride,
                    ["smoothing_half_width"] = p.Options.SmoothingHalfWidth,
                    ["macro_f1"] = p.Scores.MacroF1,
                    ["accuracy"] = p.Scores.Accuracy,
                });
            root["sweep"] = new JsonObject { ["best"] = Options(sweep.Best.Options), ["points"] = points };
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Options(InferenceOptions o) => new()
    {
        ["window"] = o.Window,
        ["stride"] = o.Stride,
        ["centre_weighted"] = o.CentreWeighted,
        ["smoothing_half_width"] = o.SmoothingHalfWidth,
    };

    private static JsonObject Scores(ClassificationScores s)
    {
        var perClass = new JsonArray();
        foreach (var cls in s.PerClass)
            perClass.Add(new JsonObject
            {
                ["name"] = cls.Name,
                ["precision"] = cls.Precision,
                ["recall"] = cls.Recall,
                ["f1"] = cls.F1,
                ["support"] = cls.Support,
            });
        int k = s.Confusion.GetLength(0);
        var confusion = new JsonArray();
        for (int r = 0; r < k; r++)
        {
            var row = new JsonArray();
            for (int col = 0; col < k; col++)
                row.Add(s.Confusion[r, col]);
            confusion.Add(row);
        }
        return new JsonObject
        {
            ["macro_f1"] = s.MacroF1,
            ["accuracy"] = s.Accuracy,
            ["frames"] = s.Frames,
            ["per_class"] = perClass,
            ["confusion"] = confusion,
        };
    }
}
