using System.Diagnostics;
using AffectFuse.Data;
using AffectFuse.Decoding;
using AffectFuse.Features;
using AffectFuse.IO;

namespace AffectFuse.Workflows;

/// <summary>One video <see cref="FolderExtraction"/> could not extract, and why (one line, naming the file).</summary>
public sealed record ExtractionFailure(string Video, string Problem);

/// <summary>What a folder extraction did.</summary>
/// <param name="OutDir">The feature folder.</param>
/// <param name="Done">Videos extracted by this run.</param>
/// <param name="Skipped">Videos whose output already existed and was verified readable.</param>
/// <param name="Redone">Of <paramref name="Done"/>, videos whose existing output was unreadable and was extracted again.</param>
/// <param name="Failures">Videos that failed; the others were still extracted.</param>
/// <param name="Warnings">Videos extracted with a problem worth knowing (fewer frames than the container declares).</param>
/// <param name="Frames">Frames extracted by this run.</param>
/// <param name="VideoSeconds">Seconds of video extracted by this run.</param>
/// <param name="WallSeconds">Wall-clock time of this run.</param>
public sealed record FolderExtractionResult(string OutDir, int Done, int Skipped, int Redone, IReadOnlyList<ExtractionFailure> Failures,
    IReadOnlyList<ExtractionFailure> Warnings, long Frames, double VideoSeconds, double WallSeconds)
{
    /// <summary>Every video of the run (after sharding), in order.</summary>
    public IReadOnlyList<string> Videos { get; init; } = [];

    /// <summary>The output file of each of <see cref="Videos"/>, in the same order.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>When the run started and ended (UTC), and on which machine: a cluster's summary adds tasks up from these.</summary>
    public DateTime Started { get; init; }

    /// <inheritdoc cref="Started"/>
    public DateTime Finished { get; init; }

    /// <inheritdoc cref="Started"/>
    public string Host { get; init; } = Environment.MachineName;
}

/// <summary>Progress of a folder extraction: which video of how many, and that video's own progress.</summary>
public sealed record FolderExtractionProgress(int Index, int Count, string Video, ExtractionProgress? Within);

/// <summary>Extracts a set of videos into one feature folder: one <c>&lt;video id&gt;.npz</c> each (named by
/// <see cref="AffWild2Layout.VideoIdFor"/>), resumable, shardable, one bad video never stopping the rest. Audio files are
/// taken as videos without a face (<see cref="FeatureExtractionPipeline.Extract"/>).</summary>
/// <remarks>Resume: an output under its final name was written atomically, so it is complete unless something else
/// damaged it; each one is read back before it is trusted, and an unreadable one is extracted again. Two videos that
/// would write the same output are refused before any work starts.</remarks>
public sealed class FolderExtraction
{
    private readonly IReadOnlyList<VideoInput> _videos;
    private readonly ExtractionOptions _options;

    /// <summary>The videos of this run (after sharding), in order.</summary>
    public IReadOnlyList<VideoInput> Videos => _videos;

    /// <summary>The feature folder.</summary>
    public string OutDir { get; }

    private FolderExtraction(IReadOnlyList<VideoInput> videos, string outDir, ExtractionOptions options)
    {
        _videos = videos;
        OutDir = outDir;
        _options = options;
    }

    /// <summary>Finds the videos named by <paramref name="inputs"/> (files, or folders searched recursively), keeps shard
    /// <paramref name="shard"/> of them when given, checks the options and the output folder. Naming no video at all is an
    /// error; a shard may be empty.</summary>
    public static FolderExtraction Plan(IEnumerable<string> inputs, string outDir, ExtractionOptions options, (int Index, int Count)? shard = null)
    {
        options.Validate();
        var names = inputs.ToList();
        var videos = VideoInputs.Discover(names);
        if (videos.Count == 0)
            throw new AffectFuseException(string.Join(", ", names),
                $"no video or audio files found (looked for {string.Join(" ", VideoInputs.Extensions.Order(StringComparer.Ordinal))})");
        if (shard is { } s)
            videos = VideoInputs.Shard(videos, s.Index, s.Count, v => ContainerFrames(v.Path));
        string folder = OutputLocation.Folder(outDir);
        RequireDistinctOutputs(videos, folder, options);
        return new FolderExtraction(videos, folder, options);
    }

    /// <summary>The frames <paramref name="video"/>'s container declares, or for an audio file the frames its declared
    /// duration holds (<see cref="AudioOnlyFrames"/>); 0 when it cannot be read (its task reports it): the length shards are
    /// balanced by.</summary>
    /// <remarks>OpenCV is asked first, as before audio files were taken: it opens a video in-process, where ffprobe is a
    /// process per file, and a list of videos is the common case. A file it cannot open is probed for sound. The length
    /// only balances shards, so an audio file with cover art, which OpenCV may open as a one-picture video, costs balance,
    /// never a wrong result.</remarks>
    internal static long ContainerFrames(string video)
    {
        try
        {
            using var decoder = VideoDecoder.Open(video);
            return decoder.Info.FrameCountEstimate ?? 0;
        }
        catch (AffectFuseException)
        {
            return SoundFrames(video);
        }
    }

    private static long SoundFrames(string file)
    {
        try
        {
            return new AudioDecoder().Probe(file) is { HasAudio: true, Duration: { } seconds } ? AudioOnlyFrames.Count(seconds) : 0;
        }
        catch (AffectFuseException)
        {
            return 0;
        }
    }

    /// <summary>The output file of <paramref name="video"/> in <paramref name="outDir"/>.</summary>
    internal static string OutputPath(string outDir, string video, Faces.FaceSelection face)
        => Path.Combine(outDir, AffWild2Layout.VideoIdFor(video, face) + FeatureFile.Extension);

    /// <summary>Extracts every video whose output is missing or unreadable. <paramref name="progress"/> is reported on the
    /// calling thread.</summary>
    public FolderExtractionResult Run(IProgress<FolderExtractionProgress>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        var (todo, redo) = PendingVideos();
        var failures = new List<ExtractionFailure>();
        var warnings = new List<ExtractionFailure>();
        int done = 0, redone = 0;
        long frames = 0;
        double seconds = 0;
        if (todo.Count > 0)
        {
            using var pipeline = new FeatureExtractionPipeline(_options);
            for (int i = 0; i < todo.Count; i++)
            {
                var video = todo[i];
                int index = i;
                progress?.Report(new FolderExtractionProgress(i, todo.Count, video.Path, null));
                var within = progress is null ? null : new SynchronousProgress<ExtractionProgress>(p => progress.Report(new FolderExtractionProgress(index, todo.Count, video.Path, p)));
                try
                {
                    frames += Save(pipeline, video.Path, within, cancel);
                    done++;
                    if (redo.Contains(video)) redone++;
                    seconds += pipeline.LastStatistics?.VideoSeconds ?? 0;
                    if (pipeline.LastStatistics?.Shortfall is { } shortfall)
                        warnings.Add(new ExtractionFailure(video.Path, $"{video.Path}: {shortfall}"));
                }
                // One video's fault, whatever it is, must not cost the others.
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add(new ExtractionFailure(video.Path, e is AffectFuseException ? e.Message : $"{video.Path}: {e.GetType().Name}: {e.Message}"));
                }
            }
        }
        return new FolderExtractionResult(OutDir, done, _videos.Count - todo.Count, redone, failures, warnings, frames, seconds, clock.Elapsed.TotalSeconds)
        {
            Videos = [.. _videos.Select(v => v.Path)],
            Outputs = [.. _videos.Select(v => OutputPath(OutDir, v.Path, _options.Face))],
            Started = started,
            Finished = DateTime.UtcNow,
        };
    }

    // One feature file per video: every person's rows in one file (format 2) when every face is followed. Returns the frames.
    private int Save(FeatureExtractionPipeline pipeline, string video, IProgress<ExtractionProgress>? within, CancellationToken cancel)
    {
        string output = OutputPath(OutDir, video, _options.Face);
        if (_options.Face != Faces.FaceSelection.All)
        {
            var features = pipeline.Extract(video, within, cancel);
            FeatureFile.Save(features, output);
            return features.FrameCount;
        }
        var people = pipeline.ExtractPeople(video, within, cancel);
        FeatureFile.SavePeople(people, output);
        return people[0].FrameCount;
    }

    // Outputs under their final name are complete unless damaged afterwards; reading one back is cheap next to
    // extracting it, so a damaged one is found and redone instead of trusted.
    private (List<VideoInput> Todo, HashSet<VideoInput> Redo) PendingVideos()
    {
        var todo = new List<VideoInput>();
        var redo = new HashSet<VideoInput>();
        foreach (var video in _videos)
        {
            string output = OutputPath(OutDir, video.Path, _options.Face);
            if (!File.Exists(output))
            {
                todo.Add(video);
                continue;
            }
            try
            {
                FeatureFile.LoadPeople(output);
            }
            catch (AffectFuseException)
            {
                todo.Add(video);
                redo.Add(video);
            }
        }
        return (todo, redo);
    }

    private static void RequireDistinctOutputs(IReadOnlyList<VideoInput> videos, string outDir, ExtractionOptions options)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in videos)
        {
            string target = OutputPath(outDir, v.Path, options.Face);
            if (!owners.TryAdd(target, v.Path))
                throw new AffectFuseException(v.Path, $"would write the same output {target} as {owners[target]}; rename one of them or extract them separately");
        }
    }
}
