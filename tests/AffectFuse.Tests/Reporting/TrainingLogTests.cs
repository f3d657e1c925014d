using Xunit;
using System.Text.Json;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Tests.Reporting;

public class TrainingLogTests
{
    [Fact]
    public void AppendRoundTripsAndReplacesARepeatedEpoch()
    {
        using var dir = new TempFolder();
        string path = dir.File("train_log.csv");
        var one = new EpochRecord(1, 1.25, null, 0.31, 0.45, 0.001, 61.5);
        var two = new EpochRecord(2, 0.9, 1.1, 1.0 / 3, 0.5, 0.0009, 60.25);
        TrainingLog.Append(path, one);
        TrainingLog.Append(path, two);
        TrainingLog.Append(path, two with { TrainLoss = 0.8 }); // resumed run repeats epoch 2

        Assert.Equal([one, two with { TrainLoss = 0.8 }], TrainingLog.Read(path));
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(TrainingLog.Header, lines[0]);
        Assert.Equal("1,1.25,,0.31,0.45,0.001,61.5", lines[1]);
    }

    [Fact]
    public void ForeignFileIsReportedWithItsName()
    {
        using var dir = new TempFolder();
        string path = dir.File("log.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        var ex = Assert.Throws<AffectFuseException>(() => TrainingLog.Append(path, new EpochRecord(1, 1, null, 0, 0, 0, 0)));
        Assert.StartsWith(path + ": line 1", ex.Message);
        File.WriteAllText(path, TrainingLog.Header + "\n1,x,,0,0,0,0\n");
        ex = Assert.Throws<AffectFuseException>(() => TrainingLog.Read(path));
        Assert.Contains("line 2", ex.Message);
    }
}

public class ScoresJsonTests
{
    [Fact]
    public void JsonCarriesScoresConditionsAndSweep()
    {
        int[] truth = [0, 1, 1, 4, -1];
        int[] labels = [0, 1, 4, 4, 2];
        var prediction = PredictionCsvTests.Sample("v", 5) with { Labels = labels };
        var result = EvaluationResult.Compute([new EvaluatedVideo(prediction, truth)]);
        var options = new InferenceOptions { Window = 64, Stride = 16, SmoothingHalfWidth = 8 };
        var sweep = new SweepResult([new SweepPoint(options, result.Overall)], new SweepPoint(options, result.Overall));

        using var dir = new TempFolder();
        string path = dir.File("scores.json");
        ScoresJson.Write(path, result, options, sweep, "best.ckpt");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.Equal("best.ckpt", root.GetProperty("model").GetString());
        Assert.Equal(result.Overall.MacroF1, root.GetProperty("scores").GetProperty("macro_f1").GetDouble(), 12);
        Assert.Equal(0.75, root.GetProperty("scores").GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(4, root.GetProperty("scores").GetProperty("frames").GetInt32());
        Assert.Equal(1, root.GetProperty("scores").GetProperty("confusion")[1][4].GetInt32());
        Assert.Equal("Anger", root.GetProperty("scores").GetProperty("per_class")[1].GetProperty("name").GetString());
        Assert.Equal(2, root.GetProperty("scores").GetProperty("per_class")[1].GetProperty("support").GetInt32());
        var conditions = root.GetProperty("conditions");
        Assert.Equal(result.Conditions.FaceAbsent.Frames, conditions.GetProperty("face_absent").GetProperty("frames").GetInt32());
        Assert.Equal(result.Conditions.FlipsPerMinute, conditions.GetProperty("flips_per_minute").GetDouble(), 9);
        Assert.Equal(16, root.GetProperty("sweep").GetProperty("best").GetProperty("stride").GetInt32());
        Assert.Equal(8, root.GetProperty("options").GetProperty("smoothing_half_width").GetInt32());
    }
}
