using AffectFuse.Audio;
using AffectFuse.Data;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.IO;
using AffectFuse.Reporting;
using AffectFuse.Training;
using AffectFuse.Features;

namespace AffectFuse.Workflows;

/// <summary>What to train on, how, and where the run folder goes.</summary>
public sealed record TrainingRequest
{
    /// <summary>Labelled training videos.</summary>
    public required DatasetSource Train { get; init; }

    /// <summary>Labelled validation videos (the best epoch is chosen on them).</summary>
    public required DatasetSource Validation { get; init; }

    /// <summary>Training settings, validated.</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>The run folder (checkpoints, options, log, curves).</summary>
    public required string OutDir { get; init; }

    /// <summary>Continue the run saved here (a run folder or its <c>last.ckpt</c>); null = a new run.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Train on these visual groups of files that hold more; null = every group stored.</summary>
    public VisualFeatureGroups? VisualGroups { get; init; }

    /// <summary>Train on these audio groups of files that hold more; null = every group stored.</summary>
    public AudioFeatureGroups? AudioGroups { get; init; }
}

/// <summary>The data a training run loaded, told before the first epoch.</summary>
public sealed record TrainingData(int TrainVideos, long TrainFrames, int ValidationVideos, long ValidationFrames, long FeatureBytes);

/// <summary>Train-a-run: loads the labelled videos (the requested feature groups cut from richer files), then trains into
/// the run folder with its log and curves written after each committed epoch.</summary>
public static class TrainingWorkflow
{
    /// <summary>Checks the request, loads the data (<paramref name="loaded"/> hears what was loaded), trains.</summary>
    public static TrainingResult Run(TrainingRequest request, IProgress<TrainingProgress>? progress = null, Action<TrainingData>? loaded = null,
        Action<string>? log = null, Action<string>? warn = null, CancellationToken cancel = default)
    {
        // Every option is checked before tens of gigabytes of features are read; the folder is checked, not made, so a
        // resume the trainer then refuses leaves nothing behind.
        request.Options.Validate();
        // Not refused: checkpoints trained with both must still load, and the pair is only redundant, not wrong.
        if (request.Options.Model is { AudioLevelReference: true, AudioWindowNorm: true })
            warn?.Invoke("--audio-level-reference: has no effect with --audio-window-norm (standardising each window removes the constant shift the level reference applies)");
        string outDir = OutputLocation.FolderCanBeMade(request.OutDir);
        var train = Load(request.Train, request, warn);
        var validation = Load(request.Validation, request, warn);
        loaded?.Invoke(new TrainingData(train.Count, train.Sum(v => (long)v.Features.FrameCount), validation.Count,
            validation.Sum(v => (long)v.Features.FrameCount), train.Concat(validation).Sum(v => v.Features.FeatureBytes)));
        var trainer = new Trainer(outDir, log, new TrainingReportFiles());
        string? resumeFrom = request.ResumeFrom is { } saved ? Path.GetFullPath(saved) : null;
        return trainer.Train(train, validation, request.Options, progress, cancel, resumeFrom);
    }

    private static List<LabelledVideo> Load(DatasetSource source, TrainingRequest request, Action<string>? warn)
        => DatasetLoader.LoadLabelled(source, warn)
            .Select(v => v with { Features = FeatureSetSelection.Select(v.Features, request.VisualGroups, request.AudioGroups) })
            .ToList();
}
