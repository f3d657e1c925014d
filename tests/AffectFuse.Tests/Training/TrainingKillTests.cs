using System.Diagnostics;
using AffectFuse.Data.Synthetic;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
using Xunit;

namespace AffectFuse.Tests.Training;

/// <summary>A tiny data set and one uninterrupted three-epoch `train` run on it, made once for the kill tests.</summary>
public sealed class KilledTrainingFixture : IDisposable
{
    public TempFolder Folder { get; } = new();

    public string Data => Folder["data"];

    public string Reference => Folder["reference"];

    public KilledTrainingFixture()
    {
        SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 5, TrainVideos = 3, ValidationVideos = 2, TestVideos = 0, TwoPersonPairs = 0, MinFrames = 60, MaxFrames = 90, SurplusLabelVideos = 0,
        }, Data);
        var (code, error) = CliProcess.Run(null, TrainingKillTests.Train(Data, Reference));
        if (code != 0)
            throw new InvalidOperationException($"reference run failed ({code}): {error}");
    }

    public void Dispose() => Folder.Dispose();
}

/// <summary>`train` killed with SIGKILL at every write point of an epoch's save, and from outside, then `train --resume`:
/// the run must end exactly as the uninterrupted one did.</summary>
public class TrainingKillTests(KilledTrainingFixture run) : IClassFixture<KilledTrainingFixture>
{
    private const int Epochs = 3;
    private const int SigKill = 128 + 9;

    /// <summary>A small model on few frames: a whole run takes well under a second after start-up.</summary>
    public static string[] Train(string data, string outDir, params string[] more) =>
    [
        "train", "--data", data, "--out", outDir, "--epochs", Epochs.ToString(), "--width", "16", "--layers", "1",
        "--window", "32", "--stride", "32", "--batch", "8", "--threads", "1", .. more,
    ];

    [Fact]
    public void KilledAtEveryPointOfEverySaveResumesToTheSameRunBitForBit()
    {
        var reached = new HashSet<string>();
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            int points = 0;
            for (int point = 1; ; point++)
            {
                string outDir = run.Folder[$"e{epoch}p{point}"];
                var fault = new Dictionary<string, string> { ["AFFECTFUSE_FAULT"] = $"save:{epoch}:{point}" };
                var (code, error) = CliProcess.Run(fault, Train(run.Data, outDir));
                if (code == 0)
                {
                    // One past the last point: the run was never killed, and must match too.
                    Assert.DoesNotContain("fault:", error);
                    AssertSameRun(run.Reference, outDir, $"epoch {epoch}, no fault");
                    break;
                }
                Assert.True(code == SigKill, $"save:{epoch}:{point} exited {code}: {error}");
                string line = Assert.Single(error.Split('\n'), l => l.StartsWith("fault:"));
                Assert.StartsWith($"fault: killed at save point {point} of epoch {epoch} (", line);
                reached.Add(line[(line.IndexOf('(') + 1)..^1]);
                points = point;

                // Both forms of --resume, the run folder and its last.ckpt (when the kill left one).
                string last = Path.Combine(outDir, Trainer.LastCheckpointName);
                string from = point % 2 == 0 && File.Exists(last) ? last : outDir;
                var (resumed, resumeError) = CliProcess.Run(null, Train(run.Data, outDir, "--resume", from));
                Assert.True(resumed == 0, $"resume after save:{epoch}:{point}: {resumeError}");
                AssertSameRun(run.Reference, outDir, $"killed at save:{epoch}:{point} ({line})");
                Directory.Delete(outDir, recursive: true);
            }
            // last.ckpt, its options, the log and the curves at least, three points each.
            Assert.True(points >= 12, $"epoch {epoch}'s save had only {points} write points");
        }
        foreach (string file in new[] { "last.ckpt", "best.ckpt", "best.ckpt.options.json", "last.ckpt.options.json", "training_log.csv", "curves.png" })
            foreach (string stage in new[] { "before write", "before rename", "after rename" })
                Assert.Contains($"{file}: {stage}", reached);
    }

    [Fact]
    public void KilledFromOutsideOnceAnEpochIsCommittedResumesToTheSameRun()
    {
        string outDir = run.Folder["outside"];
        string last = Path.Combine(outDir, Trainer.LastCheckpointName);
        using (var child = CliProcess.Start(null, Train(run.Data, outDir)))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(last) && !child.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
                Thread.Sleep(1);
            // Wherever the run is now (training epoch 2, saving, or done), a resume must end where an uninterrupted run did.
            child.Kill();
            child.WaitForExit();
        }
        var (code, error) = CliProcess.Run(null, Train(run.Data, outDir, "--resume", last));
        Assert.True(code == 0, error);
        AssertSameRun(run.Reference, outDir, "killed from outside");
    }

    /// <summary>Every output bit for bit, but for wall times: the seconds an epoch took are in the log and in last.ckpt's history.</summary>
    private static void AssertSameRun(string expected, string actual, string context)
    {
        foreach (string file in new[] { Trainer.BestCheckpointName, "best.ckpt.options.json", "last.ckpt.options.json", TrainingReportFiles.CurvesName })
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))),
                $"{context}: {file} differs");
        Assert.Equal(WithoutSeconds(TrainingLog.Read(Path.Combine(expected, TrainingReportFiles.LogName))),
            WithoutSeconds(TrainingLog.Read(Path.Combine(actual, TrainingReportFiles.LogName))));

        var want = Checkpoint.Load(Path.Combine(expected, Trainer.LastCheckpointName));
        var got = Checkpoint.Load(Path.Combine(actual, Trainer.LastCheckpointName));
        using (want.Model)
        using (got.Model)
        {
            Assert.Equal(want.State, got.State);
            Assert.True(Weights(want.Model).SequenceEqual(Weights(got.Model)), $"{context}: last.ckpt weights differ");
            Assert.True(want.OptimizerState!.SequenceEqual(got.OptimizerState!), $"{context}: last.ckpt optimiser state differs");
            Assert.Equal((want.Run!.BestEpoch, want.Run.BestValidationMacroF1), (got.Run!.BestEpoch, got.Run.BestValidationMacroF1));
            Assert.Equal(WithoutSeconds(want.Run.History), WithoutSeconds(got.Run.History));
        }
        Assert.Empty(Directory.EnumerateFiles(actual, ".*.tmp"));
    }

    private static EpochRecord[] WithoutSeconds(IEnumerable<EpochRecord> records) => records.Select(r => r with { Seconds = 0 }).ToArray();

    private static byte[] Weights(AffectFuseModel model)
    {
        using var buffer = new MemoryStream();
        model.save(buffer);
        return buffer.ToArray();
    }
}
