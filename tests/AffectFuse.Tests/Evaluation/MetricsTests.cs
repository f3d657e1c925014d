using Xunit;
using System.Diagnostics;
using System.Text.Json;
using AffectFuse.Evaluation;

namespace AffectFuse.Tests.Evaluation;

public class MetricsTests
{
    private const string Python = "/usr/bin/python3";

    // One python process scores every case with scikit-learn; each C# result must match it.
    private const string SklearnScript = """
import json, sys
import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score, accuracy_score, confusion_matrix
cases = json.load(open(sys.argv[1]))
out = []
for case in cases:
    t = np.array(case["truth"]); p = np.array(case["pred"])
    keep = t != -1
    t, p = t[keep], p[keep]
    labels = list(range(8))
    out.append({
        "f1": f1_score(t, p, labels=labels, average=None, zero_division=0).tolist(),
        "precision": precision_score(t, p, labels=labels, average=None, zero_division=0).tolist(),
        "recall": recall_score(t, p, labels=labels, average=None, zero_division=0).tolist(),
        "macro": float(f1_score(t, p, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(t, p)),
        "confusion": confusion_matrix(t, p, labels=labels).tolist(),
    })
json.dump(out, open(sys.argv[2], "w"))
""";

    [Fact]
    public void AgreesWithScikitLearnOnRandomCases()
    {
        var rng = new Random(20260308);
        var cases = new List<(int[] Truth, int[] Pred)>();
        for (int n = 0; n < 300; n++)
        {
            int length = rng.Next(1, 400);
            // Restrict the classes used so that some are absent from truth, predictions, or both.
            int[] truthClasses = Enumerable.Range(0, 8).Where(_ => rng.NextDouble() < 0.7).DefaultIfEmpty(4).ToArray();
            int[] predClasses = Enumerable.Range(0, 8).Where(_ => rng.NextDouble() < 0.7).DefaultIfEmpty(0).ToArray();
            double unannotated = n % 3 == 0 ? 0 : rng.NextDouble() * 0.5;
            var truth = new int[length];
            var pred = new int[length];
            for (int i = 0; i < length; i++)
            {
                truth[i] = rng.NextDouble() < unannotated ? -1 : truthClasses[rng.Next(truthClasses.Length)];
                // Mostly right for some cases so F1 values spread over (0, 1].
                pred[i] = truth[i] >= 0 && rng.NextDouble() < n / 300.0 ? truth[i] : predClasses[rng.Next(predClasses.Length)];
            }
            truth[rng.Next(length)] = truthClasses[0]; // at least one annotated frame (sklearn rejects empty input)
            cases.Add((truth, pred));
        }

        string dir = Directory.CreateTempSubdirectory("affectfuse-metrics").FullName;
        try
        {
            string input = Path.Combine(dir, "cases.json"), output = Path.Combine(dir, "sklearn.json"), script = Path.Combine(dir, "score.py");
            File.WriteAllText(input, JsonSerializer.Serialize(cases.Select(c => new { truth = c.Truth, pred = c.Pred })));
            File.WriteAllText(script, SklearnScript);
            RunPython(script, input, output);
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            var expected = doc.RootElement.EnumerateArray().ToArray();
            Assert.Equal(cases.Count, expected.Length);
            int withAbsentClass = 0;
            for (int n = 0; n < cases.Count; n++)
            {
                var scores = Metrics.Compute(cases[n].Truth, cases[n].Pred);
                var e = expected[n];
                Assert.Equal(e.GetProperty("macro").GetDouble(), scores.MacroF1, 12);
                Assert.Equal(e.GetProperty("accuracy").GetDouble(), scores.Accuracy, 12);
                Assert.Equal(cases[n].Truth.Count(t => t >= 0), scores.Frames);
                var f1 = e.GetProperty("f1").EnumerateArray().Select(x => x.GetDouble()).ToArray();
                var precision = e.GetProperty("precision").EnumerateArray().Select(x => x.GetDouble()).ToArray();
                var recall = e.GetProperty("recall").EnumerateArray().Select(x => x.GetDouble()).ToArray();
                var confusion = e.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
                for (int c = 0; c < 8; c++)
                {
                    Assert.Equal(f1[c], scores.PerClass[c].F1, 12);
                    Assert.Equal(precision[c], scores.PerClass[c].Precision, 12);
                    Assert.Equal(recall[c], scores.PerClass[c].Recall, 12);
                    Assert.Equal(confusion[c].Sum(), scores.PerClass[c].Support);
                    for (int j = 0; j < 8; j++)
                        Assert.Equal(confusion[c][j], scores.Confusion[c, j]);
                }
                if (Enumerable.Range(0, 8).Any(c => scores.PerClass[c].Support == 0 && Enumerable.Range(0, 8).Sum(r => scores.Confusion[r, c]) == 0))
                    withAbsentClass++;
            }
            Assert.True(withAbsentClass > 50, $"only {withAbsentClass} cases had a class absent from truth and predictions");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ClassAbsentFromTruthAndPredictionsScoresZeroAndCountsInTheMean()
    {
        // Only classes 0 and 4 occur, both predicted perfectly: their F1 is 1, the six others 0, so macro-F1 = 2/8.
        int[] truth = [0, 0, 4, 4, -1, 4];
        int[] pred = [0, 0, 4, 4, 7, 4];
        var scores = Metrics.Compute(truth, pred);
        Assert.Equal(2.0 / 8, scores.MacroF1, 12);
        Assert.Equal(1.0, scores.Accuracy, 12);
        Assert.Equal(5, scores.Frames);
        Assert.Equal(0, scores.PerClass[7].F1); // the -1 frame's prediction is ignored
        Assert.Equal(0, scores.PerClass[7].Support);
        Assert.Equal(1.0, scores.PerClass[4].F1, 12);
        Assert.Equal(3, scores.PerClass[4].Support);
    }

    [Fact]
    public void NoAnnotatedFramesScoresZero()
    {
        var scores = Metrics.Compute([-1, -1], [3, 3]);
        Assert.Equal(0, scores.Frames);
        Assert.Equal(0, scores.MacroF1);
        Assert.Equal(0, scores.Accuracy);
    }

    [Fact]
    public void RejectsMismatchedLengthsAndOutOfRangeLabels()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Compute([0, 1], [0]));
        Assert.Throws<ArgumentException>(() => Metrics.Compute([8], [0]));
        Assert.Throws<ArgumentException>(() => Metrics.Compute([-2], [0]));
        Assert.Throws<ArgumentException>(() => Metrics.Compute([0], [-1]));
    }

    private static void RunPython(params string[] args)
    {
        Assert.True(File.Exists(Python), $"{Python} (Debian python3 with python3-sklearn) is required as the metrics reference");
        var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python failed: {stderr}");
    }
}
