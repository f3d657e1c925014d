using AffectFuse.Cli;
using AffectFuse.Cli.Commands;
using AffectFuse.Data;
using AffectFuse.Model;
using AffectFuse.Tests.Data;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>`train --resume` with a checkpoint that does not fit: one `error: CHECKPOINT: PROBLEM` line, exit code 2, and
/// the run folder left as it was; and videos without frames, which must not train a "best" model from nothing.</summary>
public class ResumeInputTests
{
    private const int Frames = 80;

    private sealed class Run : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Features => Folder.Folder("features");
        public string TrainLabels => Folder.Folder("train");
        public string ValLabels => Folder.Folder("val");
        public string Out => Folder["run"];
        public string Last => Path.Combine(Out, Trainer.LastCheckpointName);

        public Run(int visualDim = 4)
        {
            WriteFeatures(Features, visualDim);
            foreach (var (id, labels) in new[] { ("a", TrainLabels), ("b", TrainLabels), ("c", ValLabels) })
                ExprLabelFile.Write(Path.Combine(labels, id + ".txt"), Enumerable.Range(0, Frames).Select(t => t / 10 % 8).ToArray());
        }

        public static void WriteFeatures(string folder, int visualDim)
        {
            foreach (string id in new[] { "a", "b", "c" })
                FeatureFile.Save(TestFeatures.Make(id, Frames, visualDim: visualDim), Path.Combine(folder, id + ".npz"));
        }

        public (int Code, string Error) Train(string features, params string[] more) => CommandLine.Run(TrainCommand.Create(),
            ["--features", features, "--train-labels", TrainLabels, "--val-labels", ValLabels, "--out", Out,
                "--width", "16", "--layers", "1", "--window", "32", "--stride", "32", .. (more.Contains("--epochs") ? more : [.. more, "--epochs", "1"])]);

        public void Dispose() => Folder.Dispose();
    }

    private static string OneErrorLine(int code, string error)
    {
        Assert.Equal(CommandRunner.BadInput, code);
        return Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void ResumingOnFeaturesOfOtherWidthsNamesTheCheckpoint()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        var before = Snapshot(run.Out);
        string wider = run.Folder.Folder("wider");
        Run.WriteFeatures(wider, visualDim: 6);

        var (code, error) = run.Train(wider, "--resume", run.Out);

        string line = OneErrorLine(code, error);

        Assert.StartsWith($"error: {run.Last}: checkpoint was trained on features 4+3 wide", line);
        Assert.Contains("6+3", line);
        Assert.Equal(before, Snapshot(run.Out));
    }

    [Fact]
    public void InvalidOptionsStoredInACheckpointNameTheCheckpoint()
    {
        using var run = new Run();
        string bad = run.Folder["bad.ckpt"];
        // Saved around the CLI's checks, as a hand-edited or foreign file would be: a window the model cannot hold.
        using (var model = new AffectFuseModel(new ModelOptions { VisualDim = 4, AudioDim = 3, Width = 16, SelfLayers = 1, MaxLength = 64 }))
            Checkpoint.Save(bad, model, new TrainOptions { Window = 100 }, new CheckpointState(1, 0.2, 10));

        var (code, error) = run.Train(run.Features, "--resume", bad);

        string line = OneErrorLine(code, error);
        Assert.StartsWith($"error: {bad}: checkpoint holds invalid options: --window: ", line);
        Assert.Contains("got 100", line);
        Assert.False(Directory.Exists(run.Out), "the run folder was created");
    }

    [Fact]
    public void ADamagedCommitIsOneLineAndPlainCheckpointsKeepFormat1()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        byte[] last = File.ReadAllBytes(run.Last);
        // Format 2 for the commit, 1 for the best checkpoint that other tools read.
        Assert.Equal(2, BitConverter.ToInt32(last, 8));
        Assert.Equal(1, BitConverter.ToInt32(File.ReadAllBytes(Path.Combine(run.Out, Trainer.BestCheckpointName)), 8));
        last[^100] ^= 0x40;   // in the optimiser state, which only a resume reads
        File.WriteAllBytes(run.Last, last);

        var (code, error) = run.Train(run.Features, "--resume", run.Out);

        Assert.Equal($"error: {run.Last}: checkpoint is corrupt (SHA-256 mismatch)", OneErrorLine(code, error));
    }

    [Theory]
    [InlineData("cut")]
    [InlineData("sgd")]
    [InlineData("longer")]
    public void ADamagedOptimiserStateBehindAValidTrailerNamesTheCheckpoint(string damage)
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        var loaded = Checkpoint.Load(run.Last);
        byte[] state = loaded.OptimizerState!;
        byte[] bad = damage switch
        {
            "cut" => state[..(state.Length / 2)],
            "longer" => [.. state, 1, 2, 3, 4],
            _ => SgdState(loaded.Model),
        };
        // Rewritten through the checkpoint writer, so the hash and trailer are valid and only the state is wrong.
        Checkpoint.SaveResumable(run.Last, loaded.Model, loaded.Options, loaded.State, loaded.Run!, bad);
        loaded.Model.Dispose();
        var before = Snapshot(run.Out);

        var (code, error) = run.Train(run.Features, "--resume", run.Out);

        string line = OneErrorLine(code, error);
        Assert.StartsWith($"error: {run.Last}: checkpoint's optimiser state ", line);
        Assert.Equal(before, Snapshot(run.Out));
    }

    private static byte[] SgdState(AffectFuseModel model)
    {
        using var sgd = TorchSharp.torch.optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
            sgd.save_state_dict(writer);
        return buffer.ToArray();
    }

    [Fact]
    public void ResumingFromABestCheckpointIsRefusedWithTheWayOut()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        string best = Path.Combine(run.Out, Trainer.BestCheckpointName);

        var (code, error) = run.Train(run.Features, "--resume", best);

        string line = OneErrorLine(code, error);
        Assert.StartsWith($"error: {best}: not a run's last.ckpt", line);
        Assert.Contains("--config", line);
    }

    [Fact]
    public void ResumingWithZeroEpochsIsRefusedBeforeAnythingIsWritten()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        var before = Snapshot(run.Out);

        var (code, error) = run.Train(run.Features, "--resume", run.Out, "--epochs", "0");

        Assert.StartsWith("error: --epochs: must be between 1 and", OneErrorLine(code, error));
        Assert.Equal(before, Snapshot(run.Out));
    }

    [Fact]
    public void ResumingAFinishedRunTrainsNothingAndKeepsItsBest()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(run.Features).Code);
        var before = Snapshot(run.Out);
        File.Delete(Path.Combine(run.Out, "training_log.csv"));

        var (code, error) = run.Train(run.Features, "--resume", run.Out);

        Assert.True(code == 0, error);
        // Every file rebuilt from the committed state is the one the run wrote, the deleted log included.
        Assert.Equal(before, Snapshot(run.Out));
    }

    private static LabelledVideo Video(string id, int frames) =>
        new(TestFeatures.Make(id, frames), Enumerable.Range(0, frames).Select(t => t / 10 % 8).ToArray());

    private static TrainOptions Tiny => new()
    {
        Window = 32, Stride = 32, BatchSize = 8, Epochs = 2, WarmupSteps = 0,
        Model = new ModelOptions { Width = 16, SelfLayers = 1 },
        Validation = new AffectFuse.Inference.InferenceOptions { Window = 32, Stride = 16 },
    };

    [Fact]
    public void VideosWithoutFramesAreLeftOutWithAMessage()
    {
        using var folder = new TempFolder();
        var messages = new List<string>();
        var result = new Trainer(folder["run"], messages.Add).Train([Video("a", Frames), Video("empty", 0)], [Video("c", Frames), Video("none", 0)], Tiny);

        Assert.Contains("empty: no frames; left out of training", messages);
        Assert.Contains("none: no frames; left out of validation", messages);
        Assert.All(result.History, r => Assert.True(double.IsFinite(r.TrainLoss), $"epoch {r.Epoch} loss {r.TrainLoss}"));
        Assert.Equal(result.BestEpoch, Checkpoint.Load(result.BestCheckpoint).State.Epoch);
    }

    [Theory]
    [InlineData(true, "no training video has any frames")]
    [InlineData(false, "no validation video has any frames")]
    public void OnlyEmptyVideosAreAnErrorAndNoBestModelIsWritten(bool emptyTraining, string expected)
    {
        using var folder = new TempFolder();
        LabelledVideo[] empty = [Video("e1", 0), Video("e2", 0)], full = [Video("a", Frames)];

        var e = Assert.Throws<AffectFuseException>(() =>
            new Trainer(folder["run"]).Train(emptyTraining ? empty : full, emptyTraining ? full : empty, Tiny));

        Assert.Contains(expected, e.Message);
        Assert.False(File.Exists(Path.Combine(folder["run"], Trainer.BestCheckpointName)));
    }
}
