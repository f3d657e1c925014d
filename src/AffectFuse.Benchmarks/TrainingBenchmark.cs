using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.IO;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Benchmarks;

/// <summary>Settings of <see cref="TrainingBenchmark"/>.</summary>
internal sealed record TrainingBenchmarkSettings
{
    /// <summary>Folder for the generated data set (reused when it already holds one of the same shape) and the run's checkpoints.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Shape of the generated data set; ignored when <see cref="Train"/> is given.</summary>
    public AffWild2Shape Shape { get; init; } = new();

    /// <summary>The user's own training data instead of a generated set (with <see cref="Validation"/>).</summary>
    public DatasetSource? Train { get; init; }

    /// <summary>The user's own validation data.</summary>
    public DatasetSource? Validation { get; init; }

    /// <summary>Training settings of the one epoch; <see cref="TrainOptions.Epochs"/> is set to 1.</summary>
    public TrainOptions Training { get; init; } = new();

    /// <summary>Timed seconds of the model-alone training rate measured after the epoch.</summary>
    public double ModelSeconds { get; init; } = 10;
}

/// <summary>What <c>affectfuse bench train</c> measured.</summary>
/// <param name="TrainVideos">Training videos.</param>
/// <param name="ValidationVideos">Validation videos.</param>
/// <param name="TrainFrames">Training frames (every frame of every training video).</param>
/// <param name="ValidationFrames">Validation frames.</param>
/// <param name="FeatureFileBytes">Bytes of the feature files the data set was read from.</param>
/// <param name="FeatureMemoryBytes">Bytes of feature values held in memory after loading.</param>
/// <param name="LoadSeconds">Reading and checking every feature and label file.</param>
/// <param name="Epoch">The epoch's training pass and validation.</param>
/// <param name="PeakRssBytes">Peak resident set (VmHWM) from just before loading to the end of the epoch; -1 where unknown.</param>
/// <param name="ModelFramesPerSecond">The model's own training rate at the same widths, window and batch, in this run.</param>
internal sealed record TrainingBenchmarkReport(int TrainVideos, int ValidationVideos, long TrainFrames, long ValidationFrames,
    long FeatureFileBytes, long FeatureMemoryBytes, double LoadSeconds, EpochTiming Epoch, long PeakRssBytes, double ModelFramesPerSecond)
{
    /// <summary>The training settings used.</summary>
    public required TrainOptions Training { get; init; }

    /// <summary>Feature widths and storage precision.</summary>
    public required FeatureShape Features { get; init; }

    /// <summary>Torch intra-op threads.</summary>
    public int Threads { get; init; }

    /// <summary>1-minute load average before the measurements (null where unknown).</summary>
    public double? LoadAverageBefore { get; init; }

    /// <summary>1-minute load average after them (null where unknown).</summary>
    public double? LoadAverageAfter { get; init; }

    /// <summary>The memory target for training at scale: 1.3 × the feature files' bytes + 1.5 GiB.</summary>
    public long MemoryBoundBytes => (long)(1.3 * FeatureFileBytes) + 3L * (1 << 29);

    /// <summary>Training frames of the data set (not window frames) per second of the whole epoch.</summary>
    public double DataFramesPerSecond => TrainFrames / Epoch.Seconds;
}

/// <summary>Widths and storage precision of a data set's features.</summary>
internal sealed record FeatureShape(int Visual, int Audio, NpyDType DType);

/// <summary>Trains one epoch on an Aff-Wild2-sized data set (generated, or the user's) the way <c>train</c> does, and
/// sets its time, rate and peak memory beside the model's own training rate measured in the same process.</summary>
internal static class TrainingBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="status"/> hears each stage, <paramref name="progress"/> the epoch's batches.</summary>
    public static TrainingBenchmarkReport Run(TrainingBenchmarkSettings settings, Action<string>? status = null,
        IProgress<TrainingProgress>? progress = null, Action<string>? warn = null)
    {
        var options = settings.Training with { Epochs = 1 };
        options.Validate();
        OptionCheck.Positive("--model-seconds", settings.ModelSeconds);
        var (trainSource, validationSource) = Sources(settings, status);
        long fileBytes = FeatureFileBytes(trainSource);

        double loadBefore = ModelBenchmark.LoadAverage();
        // Measure what the training run holds, not what generating the data left behind.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ProcessMemory.ResetPeak();
        status?.Invoke("loading features and labels");
        var clock = Stopwatch.StartNew();
        var train = DatasetLoader.LoadLabelled(trainSource, warn);
        var validation = DatasetLoader.LoadLabelled(validationSource, warn);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        long memoryBytes = train.Concat(validation).Sum(v => v.Features.FeatureBytes);

        status?.Invoke("training one epoch");
        string runDir = Path.Combine(settings.WorkDir, "run");
        var result = new Trainer(runDir, warn, new TrainingReportFiles()).Train(train, validation, options, progress);
        long peak = ProcessMemory.PeakBytes();
        var first = train[0].Features;
        var features = new FeatureShape(first.VisualDim, first.AudioDim, first.Visual.DType);
        long trainFrames = train.Sum(v => (long)v.Features.FrameCount), validationFrames = validation.Sum(v => (long)v.Features.FrameCount);
        int trainVideos = train.Count, validationVideos = validation.Count;
        train = validation = [];
        GC.Collect();

        status?.Invoke("measuring the model's own training rate at the same widths");
        var model = options.Model with { VisualDim = features.Visual, AudioDim = features.Audio };
        double modelRate = ModelBenchmark.TrainingFramesPerSecond(new ModelBenchmarkSettings
        {
            Window = options.Window,
            Batch = options.BatchSize,
            Seconds = settings.ModelSeconds,
            Model = model,
        });
        return new TrainingBenchmarkReport(trainVideos, validationVideos, trainFrames, validationFrames, fileBytes, memoryBytes, loadSeconds,
            result.LastEpoch!, peak, modelRate)
        {
            Training = options,
            Features = features,
            Threads = TorchSharp.torch.get_num_threads(),
            LoadAverageBefore = Known(loadBefore),
            LoadAverageAfter = Known(ModelBenchmark.LoadAverage()),
        };
    }

    private static (DatasetSource Train, DatasetSource Validation) Sources(TrainingBenchmarkSettings settings, Action<string>? status)
    {
        if (settings.Train is { } train)
            return (train, settings.Validation ?? throw new AffectFuseException("--val-labels", "your own data needs validation labels too"));
        var shape = settings.Shape;
        status?.Invoke($"data set: {shape.TrainVideos} + {shape.ValidationVideos} videos, {shape.TrainFrames:N0} + {shape.ValidationFrames:N0} frames, " +
            $"{shape.VisualDim} + {shape.AudioDim} {shape.DType}, {shape.FeatureBytes / (double)(1 << 30):0.00} GiB in {Path.Combine(settings.WorkDir, "data")}");
        int lastShown = -1;
        return AffWild2ShapedData.Ensure(Path.Combine(settings.WorkDir, "data"), shape, (done, total) =>
        {
            int tenth = done * 10 / total;
            if (tenth != Interlocked.Exchange(ref lastShown, tenth)) status?.Invoke($"writing the data set: {done}/{total} videos");
        });
    }

    // The feature files a loader reads for the training and validation videos (the same folders serve both).
    private static long FeatureFileBytes(DatasetSource source)
    {
        IEnumerable<string> Files(string? dir, string pattern) => dir is null ? [] : Directory.EnumerateFiles(dir, pattern);
        return Files(source.FeaturesDir, "*" + FeatureFile.Extension)
            .Concat(Files(source.VisualNpyDir, "*.npy"))
            .Concat(Files(source.AudioNpyDir, "*.npy"))
            .Sum(f => new FileInfo(f).Length);
    }

    private static double? Known(double value) => double.IsNaN(value) ? null : value;
}
