using System.Text.Json;
using System.Text.Json.Nodes;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.IO;

namespace AffectFuse.Reporting;

/// <summary>Machine-readable evaluation report: overall scores, the condition split, the systems scored beside the
/// model, the settings used and, when run, the sweep.</summary>
internal static class ScoresJson
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
        if (result.Baselines.Count > 0)
            root["baselines"] = Baselines(result.Baselines);
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

    // Each system scored beside the model, on the same frames and with the same metrics.
    private static JsonArray Baselines(IReadOnlyList<SystemScores> baselines)
    {
        var array = new JsonArray();
        foreach (var b in baselines)
        {
            var scores = Scores(b.Scores);
            scores.Insert(0, "system", b.System.Key);
            scores.Insert(1, "name", b.System.Name);
            array.Add(scores);
        }
        return array;
    }

    internal static JsonObject Options(InferenceOptions o) => new()
    {
        ["window"] = o.Window,
        ["stride"] = o.Stride,
        ["centre_weighted"] = o.CentreWeighted,
        ["smoothing_half_width"] = o.SmoothingHalfWidth,
    };

    private static JsonObject Scores(ClassificationScores s) => new()
    {
        ["macro_f1"] = s.MacroF1,
        ["accuracy"] = s.Accuracy,
        ["frames"] = s.Frames,
        ["per_class"] = PerClass(s.PerClass),
        ["confusion"] = Matrix(s.Confusion),
    };

    internal static JsonArray PerClass(IReadOnlyList<ClassScore> scores)
    {
        var perClass = new JsonArray();
        foreach (var cls in scores)
            perClass.Add(new JsonObject
            {
                ["name"] = cls.Name,
                ["precision"] = cls.Precision,
                ["recall"] = cls.Recall,
                ["f1"] = cls.F1,
                ["support"] = cls.Support,
            });
        return perClass;
    }

    internal static JsonArray Matrix(int[,] matrix)
    {
        var rows = new JsonArray();
        for (int r = 0; r < matrix.GetLength(0); r++)
        {
            var row = new JsonArray();
            for (int c = 0; c < matrix.GetLength(1); c++)
                row.Add(matrix[r, c]);
            rows.Add(row);
        }
        return rows;
    }
}
