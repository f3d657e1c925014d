using AffectFuse.Benchmarks.Ablation;
using AffectFuse.Data;
using AffectFuse.Data.Synthetic;
using AffectFuse.Inference;
using AffectFuse.Model;
using AffectFuse.Training;

namespace AffectFuse.Tests.Benchmarks.Ablation;

/// <summary>A tiny synthetic data set with a test split and one whole ablation (1 seed, 1 epoch, tiny model) run on it once.</summary>
public sealed class AblationFixture : IDisposable
{
    public const string Command = "affectfuse bench ablate --test";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "affectfuse-ablate-" + Guid.NewGuid().ToString("N"));
    public string Out => Path.Combine(Root, "out");
    internal SyntheticSummary Data { get; }
    internal IReadOnlyList<LabelledVideo> Train { get; }
    internal IReadOnlyList<LabelledVideo> Validation { get; }
    internal IReadOnlyList<LabelledVideo> Test { get; }
    public AblationOptions Options { get; }
    internal AblationReport Report { get; }

    public AblationFixture()
    {
        // Long no-face/no-audio spans against a short window, so some windows lack a whole stream (what breaks plain softmax).
        Data = SyntheticDataset.Generate(new SyntheticOptions
        {
            Seed = 5, TrainVideos = 3, ValidationVideos = 2, TestVideos = 2, TwoPersonPairs = 0, MinFrames = 240, MaxFrames = 320,
            NoFaceFraction = 0.25, NoAudioFraction = 0.2,
        }, Path.Combine(Root, "data"));
        Train = DatasetLoader.LoadLabelled(Data.TrainSource);
        Validation = DatasetLoader.LoadLabelled(Data.ValidationSource);
        Test = DatasetLoader.LoadLabelled(Data.TestSource);
        Options = Tiny(epochs: 1);
        Report = new AblationRunner(Out).Run(Train, Validation, Test, Options, Command);
    }

    public static AblationOptions Tiny(int epochs) => new()
    {
        Seeds = 1,
        Training = new TrainOptions
        {
            Window = 32, Stride = 16, BatchSize = 16, Epochs = epochs, LearningRate = 3e-3, WarmupSteps = 2, Patience = 5, Threads = 1,
            Model = new ModelOptions { Width = 16, Heads = 2, SelfLayers = 1, CrossLayers = 1, FeedForward = 32 },
        },
        VotingStrideFractions = [0.25, 0.5],
        SmoothingHalfWidths = [2, 8, 24],
        InferenceBatchSize = 64,
    };

    internal AblationRunResult Run(string config) => Report.Runs.Single(r => r.Config == config);

    /// <summary>Copies the output folder, so a test can resume or break it without touching the shared one.</summary>
    public string CopyOut()
    {
        string copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N"));
        foreach (string file in Directory.EnumerateFiles(Out, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(copy, Path.GetRelativePath(Out, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
        }
        return copy;
    }

    /// <summary>Windows of the plan that lack a whole stream (every frame without a face, or every frame without audio).</summary>
    internal static int WindowsMissingAStream(IReadOnlyList<LabelledVideo> videos, IEnumerable<TrainingWindow> windows)
        => windows.Count(w =>
        {
            var f = videos[w.Video].Features;
            return Enumerable.Range(w.Start, w.Length).All(t => !f.VisualMask[t]) || Enumerable.Range(w.Start, w.Length).All(t => !f.AudioMask[t]);
        });

    /// <summary>The windows inference runs over <paramref name="videos"/> with window <paramref name="window"/> and stride <paramref name="stride"/>.</summary>
    internal static IEnumerable<TrainingWindow> InferenceWindows(IReadOnlyList<LabelledVideo> videos, int window, int stride)
        => videos.SelectMany((v, i) => SlidingWindowPredictor.WindowStarts(v.Features.FrameCount, window, stride)
            .Select(s => new TrainingWindow(i, s, Math.Min(window, v.Features.FrameCount))));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
