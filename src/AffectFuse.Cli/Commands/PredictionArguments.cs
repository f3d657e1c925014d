using System.CommandLine;
using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Cli.Commands;

/// <summary>Options shared by <c>evaluate</c> and <c>infer</c>: the checkpoint, where features live, and soft-voting overrides.</summary>
internal sealed class PredictionArguments
{
    public Option<string> Model { get; } = new("--model") { Description = "Checkpoint file written by 'train'.", Required = true };
    public Option<string?> Features { get; } = new("--features") { Description = "Folder of per-video .npz feature files." };
    public Option<string?> VisualNpy { get; } = new("--visual-npy") { Description = "Folder of visual .npy files [T,Dv] (bring your own features)." };
    public Option<string?> AudioNpy { get; } = new("--audio-npy") { Description = "Folder of audio .npy files [T,Da] (bring your own features)." };
    public Option<double> Fps { get; } = new("--fps") { Description = "Frame rate assumed for .npy features.", DefaultValueFactory = _ => 30 };
    public Option<int?> Window { get; } = new("--window") { Description = "Window length T in frames (default: the checkpoint's)." };
    public Option<int?> Stride { get; } = new("--stride") { Description = "Stride S between windows (default: the checkpoint's)." };
    public Option<int?> Smooth { get; } = new("--smooth") { Description = "Half-width δ of the centred moving average (default: the checkpoint's)." };
    public Option<bool> UniformVotes { get; } = new("--uniform-votes") { Description = "Weight every window position equally instead of towards window centres." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Windows per forward pass." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Features, VisualNpy, AudioNpy, Fps, Window, Stride, Smooth, UniformVotes, BatchSize })
            command.Options.Add(option);
    }

    /// <summary>The feature source; exactly one of --features or the --visual-npy/--audio-npy pair.</summary>
    public DatasetSource Source(ParseResult parse, string? labelsDir)
    {
        string? features = parse.GetValue(Features), visual = parse.GetValue(VisualNpy), audio = parse.GetValue(AudioNpy);
        if (features is null == (visual is null && audio is null))
            throw new AffectFuseException(null, "give either --features DIR or both --visual-npy DIR and --audio-npy DIR");
        if (features is null && (visual is null || audio is null))
            throw new AffectFuseException(null, "--visual-npy and --audio-npy go together");
        foreach (var dir in new[] { features, visual, audio, labelsDir })
            if (dir is not null && !Directory.Exists(dir))
                throw new AffectFuseException(dir, "folder not found");
        double fps = parse.GetValue(Fps);
        if (!(fps > 0))
            throw new AffectFuseException(null, $"--fps must be positive, got {fps}");
        return new DatasetSource { FeaturesDir = features, VisualNpyDir = visual, AudioNpyDir = audio, LabelsDir = labelsDir, Fps = fps };
    }

    /// <summary>The checkpoint's validation settings with the command line's overrides applied.</summary>
    public InferenceOptions Inference(ParseResult parse, InferenceOptions fromCheckpoint)
    {
        var options = fromCheckpoint with
        {
            Window = parse.GetValue(Window) ?? fromCheckpoint.Window,
            Stride = parse.GetValue(Stride) ?? fromCheckpoint.Stride,
            SmoothingHalfWidth = parse.GetValue(Smooth) ?? fromCheckpoint.SmoothingHalfWidth,
            CentreWeighted = !parse.GetValue(UniformVotes) && fromCheckpoint.CentreWeighted,
            BatchSize = parse.GetValue(BatchSize) ?? fromCheckpoint.BatchSize,
        };
        SlidingWindowPredictor.CheckOptions(options);
        return options;
    }

    /// <summary>Loads the checkpoint named by --model.</summary>
    public LoadedCheckpoint LoadCheckpoint(ParseResult parse)
    {
        string path = parse.GetValue(Model)!;
        if (!File.Exists(path))
            throw new AffectFuseException(path, "checkpoint not found");
        return Checkpoint.Load(path);
    }

    /// <summary>Fails, naming the feature file, when a video's widths differ from the model's.</summary>
    public static void CheckWidths(ModelOptions model, VideoFeatures video, DatasetSource source)
    {
        if (source.FeaturesDir is not null)
            FeatureCompatibility.Check(model, video, FeatureFilePath(source.FeaturesDir, video.VideoId, ".npz"));
        else
            FeatureCompatibility.Check(model, video,
                FeatureFilePath(source.VisualNpyDir!, video.VideoId, ".npy"), FeatureFilePath(source.AudioNpyDir!, video.VideoId, ".npy"));
    }

    /// <summary>Counts the videos a source holds, for progress bars.</summary>
    public static int CountVideos(DatasetSource source)
        => source.FeaturesDir is not null
            ? Directory.EnumerateFiles(source.FeaturesDir, "*.npz").Count()
            : Directory.EnumerateFiles(source.VisualNpyDir!, "*.npy").Count();

    // Two-person videos (<id>_left / <id>_right) may share one feature file named after the video.
    private static string FeatureFilePath(string dir, string videoId, string extension)
    {
        string exact = Path.Combine(dir, videoId + extension);
        if (File.Exists(exact))
            return exact;
        foreach (var suffix in new[] { "_left", "_right" })
        {
            if (videoId.EndsWith(suffix, StringComparison.Ordinal))
            {
                string shared = Path.Combine(dir, videoId[..^suffix.Length] + extension);
                if (File.Exists(shared))
                    return shared;
            }
        }
        return exact;
    }
}
