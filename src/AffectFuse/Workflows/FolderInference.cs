using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Workflows;

/// <summary>Where <see cref="FolderInference"/> writes: one prediction CSV per video (the columns of <c>predict</c>'s), and
/// optionally the ABAW submission as one CSV and as one annotation-format file per video.</summary>
internal sealed record InferenceOutputs
{
    /// <summary>Folder of the per-video prediction CSVs.</summary>
    public required string OutDir { get; init; }

    /// <summary>The single-CSV ABAW submission (image_location,label); null = none.</summary>
    public string? AbawCsv { get; init; }

    /// <summary>Folder of per-video annotation-format .txt files; null = none.</summary>
    public string? AbawTxtDir { get; init; }
}

/// <summary>What a folder inference did.</summary>
internal sealed record FolderInferenceResult(int Videos, long Frames, double Seconds)
{
    /// <summary>The ids of the videos predicted (after sharding), in order.</summary>
    public IReadOnlyList<string> VideoIds { get; init; } = [];

    /// <summary>When the run started and ended (UTC), and on which machine: a cluster's summary adds tasks up from these.</summary>
    public DateTime Started { get; init; }

    /// <inheritdoc cref="Started"/>
    public DateTime Finished { get; init; }

    /// <inheritdoc cref="Started"/>
    public string Host { get; init; } = Environment.MachineName;
}

/// <summary>Infer-a-folder: per-frame predictions for every video of a feature source with one checkpoint, through the same
/// <see cref="VideoPredictor"/> path as <c>predict</c>, so both give the same columns.</summary>
internal static class FolderInference
{
    /// <summary>Predicts every video of <paramref name="source"/>. <paramref name="progress"/> hears (videos done, videos in
    /// all, current id); <paramref name="warn"/> hears about features re-aligned on loading (bring-your-own audio shorter or
    /// longer than its visual file).</summary>
    /// <remarks>With <paramref name="shard"/> (i of N, 0-based), only that shard's videos, balanced by the size of their
    /// feature files and the same on every machine (<see cref="Features.ShardPlan"/>).</remarks>
    public static FolderInferenceResult Run(LoadedCheckpoint checkpoint, DatasetSource source, InferenceOptions options, InferenceOutputs outputs,
        IProgress<(int Done, int Count, string VideoId)>? progress = null, Action<string>? warn = null, (int Index, int Count)? shard = null)
    {
        var ids = DatasetLoader.VideoIds(source);
        if (shard is { } s)
        {
            if (outputs.AbawCsv is not null && s.Count > 1)
                throw OptionCheck.Fail("InferenceOutputs.AbawCsv", $"is one file for all videos, which shards cannot share; use {OptionName.Of("InferenceOutputs.AbawTxtDir")}, or infer without a shard");
            ids = Features.ShardPlan.Select(ids, s.Index, s.Count, id => id, id => DatasetLoader.FeatureBytes(source, id));
        }
        var started = DateTime.UtcNow;
        // Before the work: a path that cannot be written fails now, not after the last video.
        string outDir = OutputLocation.Folder(outputs.OutDir);
        string? csvPath = outputs.AbawCsv is null ? null : OutputLocation.File(outputs.AbawCsv);
        string? txtDir = outputs.AbawTxtDir is null ? null : OutputLocation.Folder(outputs.AbawTxtDir);

        // Labels only (4 bytes a frame) are kept for the single ABAW CSV, which is written once all videos are done.
        var submission = new List<(string, IReadOnlyList<int>)>();
        long frames = 0;
        int done = 0;
        var clock = Stopwatch.StartNew();
        foreach (var stored in DatasetLoader.LoadFeatures(source, ids, warn))
        {
            var video = ModelInput.Fit(checkpoint.Model.Options, stored, source);
            progress?.Report((done, ids.Count, video.VideoId));
            var prediction = VideoPredictor.Predict(checkpoint.Model, video, options);
            PredictionCsv.Write(Path.Combine(outDir, video.VideoId + ".csv"), prediction);
            if (txtDir is not null)
                AbawSubmission.WriteTxt(txtDir, video.VideoId, prediction.Labels);
            if (csvPath is not null)
                submission.Add((video.VideoId, prediction.Labels));
            frames += video.FrameCount;
            done++;
        }
        if (csvPath is not null)
            AbawSubmission.WriteCsv(csvPath, submission);
        progress?.Report((done, ids.Count, ""));
        return new FolderInferenceResult(done, frames, clock.Elapsed.TotalSeconds) { VideoIds = ids, Started = started, Finished = DateTime.UtcNow };
    }
}
