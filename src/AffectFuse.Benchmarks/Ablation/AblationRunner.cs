using System.Diagnostics;
using System.Text.Json;
using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;
using AffectFuse.Features;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Runs the ablation ladder: trains each rung's models (one per seed), chooses every setting on validation, scores
/// the test split once per rung and seed, and writes <c>ablation.json</c> and <c>ablation.md</c> after every run.</summary>
/// <remarks>Each run lives in <c>OUT/runs/&lt;rung&gt;/seed&lt;k&gt;/</c> (the trainer's files plus <c>result.json</c>). A run whose
/// <c>result.json</c> and checkpoint exist and whose settings match is reused, so a killed ablation resumes where it stopped;
/// a run without <c>result.json</c> is trained again from scratch (its non-finite batch count must cover the whole run).
/// Inference-only rungs reuse the models of the rung they name and are recomputed whenever those models were.</remarks>
internal sealed class AblationRunner
{
    /// <summary>Folder of the per-run folders inside the output folder.</summary>
    public const string RunsFolder = "runs";

    /// <summary>Name of each run's result file.</summary>
    public const string ResultFileName = "result.json";

    /// <summary>Name of the machine-readable report.</summary>
    public const string JsonFileName = "ablation.json";

    /// <summary>Name of the markdown report.</summary>
    public const string MarkdownFileName = "ablation.md";

    private readonly string _outDir;
    private readonly Action<string>? _log;

    /// <summary>Creates a runner writing into <paramref name="outDir"/>; <paramref name="log"/> receives notable events.</summary>
    public AblationRunner(string outDir, Action<string>? log = null)
    {
        _outDir = Path.GetFullPath(outDir);
        _log = log;
    }

    /// <summary>The folder of one run.</summary>
    public string RunFolder(string config, int seed) => Path.Combine(_outDir, RunsFolder, config, $"seed{seed}");

    /// <summary>Runs (or resumes) the ablation and writes its reports; <paramref name="command"/> is quoted in the markdown.</summary>
    public AblationReport Run(IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation, IReadOnlyList<LabelledVideo> test,
        AblationOptions options, string command, IProgress<AblationProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        if (train.Count == 0) throw new AffectFuseException(null, "ablation: no training videos");
        if (validation.Count == 0) throw new AffectFuseException(null, "ablation: no validation videos");
        if (test.Count == 0) throw new AffectFuseException(null, "ablation: no test videos");
        var configs = options.SelectedConfigs;
        var projected = new Dictionary<(VisualFeatureGroups?, AudioFeatureGroups?), Splits>();
        var clock = Stopwatch.StartNew();
        var results = new Dictionary<(string, int), AblationRunResult>();
        var computed = new HashSet<(string, int)>();
        int total = configs.Count * options.Seeds, done = 0;

        foreach (var config in configs)
        {
            for (int seed = 1; seed <= options.Seeds; seed++)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(new AblationProgress(done, total, config.Name, seed, "start", null));
                var key = (config.Name, seed);
                var stored = Reusable(config, seed, options, results, computed);
                if (stored is not null)
                {
                    results[key] = stored;
                    _log?.Invoke($"{config.Name} seed {seed}: reused {Relative(ResultPath(config.Name, seed))}");
                    progress?.Report(new AblationProgress(++done, total, config.Name, seed, "reused", null));
                    continue;
                }
                var report = new Progress(progress, done, total, config.Name, seed);
                var data = Project(projected, config, train, validation, test);
                results[key] = config.Trains
                    ? TrainAndScore(config, seed, options, data.Train, data.Validation, data.Test, report, cancel)
                    : ScoreReused(config, seed, options, data.Validation, data.Test, results, report);
                computed.Add(key);
                OptionsJson.WriteFile(ResultPath(config.Name, seed), results[key]);
                var r = results[key];
                _log?.Invoke($"{config.Name} seed {seed}: validation macro-F1 {r.Validation.MacroF1:F4}, test macro-F1 {r.Test.MacroF1:F4}" +
                             (r.Trained ? $" (best epoch {r.BestEpoch} of {r.EpochsRun}, {r.TrainingSeconds:F0} s)" : $" (models of {r.ModelsFrom}, S = {r.Inference.Stride}, δ = {r.Inference.SmoothingHalfWidth})"));
                progress?.Report(new AblationProgress(++done, total, config.Name, seed, "done", null));
                WriteReports(Report(configs, results, options, command, train, validation, test, computed.Count, clock.Elapsed.TotalSeconds));
            }
        }
        var final = Report(configs, results, options, command, train, validation, test, computed.Count, clock.Elapsed.TotalSeconds);
        WriteReports(final);
        return final;
    }

    /// <summary>Training options of a rung's run: the shared size with the rung's components and the seed.</summary>
    public static TrainOptions TrainingFor(AblationConfig config, int seed, AblationOptions options)
    {
        var t = options.Training;
        return t with
        {
            Seed = seed,
            FocalGamma = config.FocalLoss ? 2.0 : 0.0,
            ClassWeighting = config.FocalLoss ? ClassWeighting.InverseFrequency : ClassWeighting.Uniform,
            ModalityDropout = config.ModalityDropout ? config.DropoutSettings ?? new ModalityDropoutOptions() : null,
            Model = t.Model with { Modalities = config.Modalities, Fusion = config.Fusion, SafeAttention = config.SafeAttention },
            Validation = options.BaseInference,
        };
    }

    private AblationRunSettings SettingsFor(AblationConfig config, int seed, AblationOptions options)
    {
        var training = TrainingFor(config.Trains ? config : Config(options, config.ReusesModelsOf!), seed, options);
        IReadOnlyList<double> grid = config.Tuning switch
        {
            InferenceTuning.SoftVoting => options.VotingStrideFractions,
            InferenceTuning.Smoothing => options.SmoothingHalfWidths.Select(d => (double)d).ToArray(),
            _ => [],
        };
        string? features = config.VisualGroups is null && config.AudioGroups is null ? null
            : $"visual {(config.VisualGroups is { } v ? VisualFeatureLayout.Name(v) : "as stored")}; audio {(config.AudioGroups is { } a ? AudioFeatureSets.Name(a) : "as stored")}";
        return new AblationRunSettings(training, config.Tuning, grid, features);
    }

    private static AblationConfig Config(AblationOptions options, string name) => options.SelectedConfigs.First(c => c.Name == name);

    private sealed record Splits(IReadOnlyList<LabelledVideo> Train, IReadOnlyList<LabelledVideo> Validation, IReadOnlyList<LabelledVideo> Test);

    // Each distinct feature subset is cut from the data once and kept for the rungs that share it.
    private static Splits Project(Dictionary<(VisualFeatureGroups?, AudioFeatureGroups?), Splits> cache, AblationConfig config,
        IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation, IReadOnlyList<LabelledVideo> test)
    {
        var key = (config.VisualGroups, config.AudioGroups);
        if (key == (null, null))
            return new Splits(train, validation, test);
        if (!cache.TryGetValue(key, out var splits))
        {
            IReadOnlyList<LabelledVideo> Cut(IReadOnlyList<LabelledVideo> videos) => videos
                .Select(v => v with { Features = FeatureSetSelection.Select(v.Features, config.VisualGroups, config.AudioGroups) }).ToList();
            cache[key] = splits = new Splits(Cut(train), Cut(validation), Cut(test));
        }
        return splits;
    }

    private AblationRunResult? Reusable(AblationConfig config, int seed, AblationOptions options,
        Dictionary<(string, int), AblationRunResult> results, HashSet<(string, int)> computed)
    {
        string path = ResultPath(config.Name, seed);
        if (!File.Exists(path)) return null;
        AblationRunResult? stored;
        try
        {
            stored = JsonSerializer.Deserialize<AblationRunResult>(File.ReadAllText(path), OptionsJson.Settings);
        }
        catch (JsonException e)
        {
            throw new AffectFuseException(path, $"not an ablation run result ({e.Message}); delete it to run this configuration again");
        }
        if (stored is null) return null;
        string planned = JsonSerializer.Serialize(SettingsFor(config, seed, options), OptionsJson.Settings);
        string had = JsonSerializer.Serialize(stored.Settings, OptionsJson.Settings);
        if (planned != had)
            throw new AffectFuseException(path, "was made with other settings than this ablation's (model size, epochs or grids); use another --out or delete this run's folder");
        if (!File.Exists(Path.Combine(_outDir, stored.Checkpoint))) return null;
        foreach (string dependency in config.Dependencies)
        {
            // Settings chosen from (or models of) a run redone in this invocation may differ from those stored.
            if (computed.Contains((dependency, seed))) return null;
            if (results.TryGetValue((dependency, seed), out var used) && config.ReusesModelsOf == dependency && used.Checkpoint != stored.Checkpoint) return null;
        }
        return stored;
    }

    private AblationRunResult TrainAndScore(AblationConfig config, int seed, AblationOptions options, IReadOnlyList<LabelledVideo> train,
        IReadOnlyList<LabelledVideo> validation, IReadOnlyList<LabelledVideo> test, Progress progress, CancellationToken cancel)
    {
        string folder = RunFolder(config.Name, seed);
        var training = TrainingFor(config, seed, options);
        var clock = Stopwatch.StartNew();
        var trainer = new Trainer(folder, m => _log?.Invoke($"{config.Name} seed {seed}: {m}"), new TrainingReportFiles());
        var result = trainer.Train(train, validation, training, progress.Training(), cancel);
        double trainingSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        progress.Phase("score");
        using var loaded = Checkpoint.Load(result.BestCheckpoint).Model;
        var inference = options.BaseInference;
        var validationScores = AblationScores.Evaluate(loaded, validation, inference);
        cancel.ThrowIfCancellationRequested();
        var testScores = AblationScores.Evaluate(loaded, test, inference);
        return new AblationRunResult
        {
            Config = config.Name,
            Seed = seed,
            Settings = SettingsFor(config, seed, options),
            Trained = true,
            ModelsFrom = config.Name,
            Checkpoint = Relative(result.BestCheckpoint),
            BestEpoch = result.BestEpoch,
            EpochsRun = result.EpochsRun,
            TrainingBatches = result.Batches,
            NonFiniteTrainingBatches = result.NonFiniteBatches,
            Inference = inference,
            ValidationSweep = [],
            Validation = validationScores,
            Test = testScores,
            TrainingSeconds = trainingSeconds,
            EvaluationSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    private AblationRunResult ScoreReused(AblationConfig config, int seed, AblationOptions options, IReadOnlyList<LabelledVideo> validation,
        IReadOnlyList<LabelledVideo> test, Dictionary<(string, int), AblationRunResult> results, Progress progress)
    {
        var source = results[(config.ReusesModelsOf!, seed)];
        var start = config.InferenceFrom is { } from ? results[(from, seed)].Inference : options.BaseInference;
        var clock = Stopwatch.StartNew();
        progress.Phase("choose");
        using var model = Checkpoint.Load(Path.Combine(_outDir, source.Checkpoint)).Model;

        // Only the validation split decides; the test split is scored once, below, with what was chosen here.
        var grid = config.Tuning switch
        {
            InferenceTuning.SoftVoting => new SweepGrid([start.Window], options.VotingStrideFractions, [start.SmoothingHalfWidth]),
            InferenceTuning.Smoothing => new SweepGrid([start.Window], [(double)start.Stride / start.Window], options.SmoothingHalfWidths),
            _ => throw new InvalidOperationException($"{config.Name} reuses models but tunes nothing"),
        };
        var sweep = Sweep.Run(new NonFiniteWindowVoter(model).Vote, validation, grid, start);
        var chosen = sweep.Best.Options;

        progress.Phase("score");
        var validationScores = AblationScores.Evaluate(model, validation, chosen);
        var testScores = AblationScores.Evaluate(model, test, chosen);
        return source with
        {
            Config = config.Name,
            Settings = SettingsFor(config, seed, options),
            Trained = false,
            ModelsFrom = source.ModelsFrom,
            Inference = chosen,
            ValidationSweep = sweep.Points.Select(p => new AblationSweepPoint(p.Options.Stride, p.Options.SmoothingHalfWidth, p.Scores.MacroF1, p.Scores.Accuracy)).ToArray(),
            Validation = validationScores,
            Test = testScores,
            TrainingSeconds = 0,
            EvaluationSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    private AblationReport Report(IReadOnlyList<AblationConfig> configs, Dictionary<(string, int), AblationRunResult> results, AblationOptions options,
        string command, IReadOnlyList<LabelledVideo> train, IReadOnlyList<LabelledVideo> validation, IReadOnlyList<LabelledVideo> test, int computed, double seconds)
    {
        var runs = configs.SelectMany(c => Enumerable.Range(1, options.Seeds).Where(s => results.ContainsKey((c.Name, s))).Select(s => results[(c.Name, s)])).ToList();
        var rows = configs.Select(c => (c, runs.Where(r => r.Config == c.Name).ToList()))
            .Where(x => x.Item2.Count > 0)
            .Select(x => AblationRow.Aggregate(x.c, x.Item2))
            .ToList();
        return new AblationReport
        {
            Command = command,
            Date = DateTimeOffset.UtcNow,
            Options = options,
            Train = Split(train, options.Training.Window, options.Training.Stride, training: true),
            Validation = Split(validation, options.Training.Window, options.Training.Window, training: false),
            Test = Split(test, options.Training.Window, options.Training.Window, training: false),
            Configs = configs,
            Runs = runs,
            Rows = rows,
            RunsComputed = computed,
            RunsReused = runs.Count - computed,
            Seconds = seconds,
        };
    }

    private void WriteReports(AblationReport report)
    {
        OptionsJson.WriteFile(Path.Combine(_outDir, JsonFileName), report);
        AtomicFile.WriteAllText(Path.Combine(_outDir, MarkdownFileName), AblationMarkdown.Render(report));
    }

    private static AblationSplit Split(IReadOnlyList<LabelledVideo> videos, int window, int stride, bool training)
    {
        var windows = training
            ? TrainingWindow.Plan(videos, window, stride)
            : videos.SelectMany((v, i) => SlidingWindowPredictor.WindowStarts(v.Features.FrameCount, window, stride)
                .Select(s => new TrainingWindow(i, s, Math.Min(window, v.Features.FrameCount)))).ToList();
        long missing = windows.Count(w => LacksAStream(videos[w.Video].Features, w.Start, w.Length));
        return new AblationSplit(videos.Count, videos.Sum(v => (long)v.Features.FrameCount), windows.Count, missing);
    }

    private static bool LacksAStream(VideoFeatures video, int start, int length)
    {
        bool face = false, audio = false;
        for (int t = start; t < start + length && !(face && audio); t++)
        {
            face |= video.VisualMask[t];
            audio |= video.AudioMask[t];
        }
        return !face || !audio;
    }

    private string ResultPath(string config, int seed) => Path.Combine(RunFolder(config, seed), ResultFileName);

    private string Relative(string path) => Path.GetRelativePath(_outDir, path);

    /// <summary>Forwards one run's training and phase changes to the ablation's progress.</summary>
    private sealed class Progress(IProgress<AblationProgress>? target, int done, int total, string config, int seed)
    {
        public void Phase(string phase) => target?.Report(new AblationProgress(done, total, config, seed, phase, null));

        public IProgress<TrainingProgress>? Training() => target is null ? null : new Forward(p => target.Report(new AblationProgress(done, total, config, seed, "train", p)));

        private sealed class Forward(Action<TrainingProgress> report) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value) => report(value);
        }
    }
}
