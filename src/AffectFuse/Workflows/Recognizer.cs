using AffectFuse.Data;
using AffectFuse.Features;
using AffectFuse.IO;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Model;
using TorchSharp;
using AffectFuse.Inference;
using AffectFuse.Training;

namespace AffectFuse.Workflows;

/// <summary>The small public API: load a checkpoint once, then turn videos, audio files (face absent, frames by
/// <see cref="Decoding.AudioOnlyFrames"/>) or precomputed features into per-frame expression predictions.</summary>
/// <example><code>
/// using var recognizer = Recognizer.Load("best.ckpt");
/// VideoPrediction p = recognizer.Predict("video.mp4");
/// foreach (var frame in p.Frames) Console.WriteLine($"{frame.Time:0.00} {frame.LabelName} {frame.Confidence:0.00}");
/// </code></example>
public sealed class Recognizer : IDisposable
{
    private readonly LoadedCheckpoint _checkpoint;
    private readonly RecognizerOptions _options;
    private FeatureExtractionPipeline? _pipeline;

    private Recognizer(string modelPath, LoadedCheckpoint checkpoint, RecognizerOptions options)
    {
        ModelPath = modelPath;
        _checkpoint = checkpoint;
        _options = options;
        Inference = options.Inference ?? checkpoint.Options.Validation;
        SlidingWindowPredictor.CheckOptions(Inference);
    }

    /// <summary>The checkpoint file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's architecture.</summary>
    public ModelOptions ModelOptions => _checkpoint.Model.Options;

    /// <summary>Voting and smoothing settings in force.</summary>
    public InferenceOptions Inference { get; }

    /// <summary>Timing of the last extraction from a video file (null before the first).</summary>
    public ExtractionStatistics? LastExtraction => _pipeline?.LastStatistics;

    /// <summary>Loads a checkpoint written by training. A missing, truncated or foreign file, or a model trained on
    /// features that <c>extract</c> cannot compute, is an <see cref="AffectFuseException"/> naming the file. With no path,
    /// the model shipped with AffectFuse (<see cref="DefaultModel"/>). Videos are turned into the feature set the model
    /// records (its training data's); the feature-extraction models are loaded on the first video.</summary>
    public static Recognizer Load(string? modelPath = null, RecognizerOptions? options = null)
    {
        modelPath ??= DefaultModel.Require();
        IO.InputFile.RequireContent(modelPath, "checkpoint");
        var checkpoint = Checkpoint.Load(modelPath);
        try
        {
            options ??= new RecognizerOptions();
            options.Validate();
            var extraction = ExtractionFor(checkpoint.Model.Options, options.Extraction, modelPath);
            if (options.FaceCues)
                extraction = extraction with { Visual = extraction.Visual | VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.Landmarks };
            if (options.Blendshapes)
                extraction = extraction with { Visual = extraction.Visual | VisualFeatureGroups.Blendshapes };
            options = options with { Extraction = extraction };
            return new Recognizer(modelPath, checkpoint, options);
        }
        catch
        {
            checkpoint.Model.Dispose();
            throw;
        }
    }

    /// <summary>The extraction settings that produce the features <paramref name="model"/> reads: the recorded feature set
    /// (or the original one for models that predate recording it), widths checked.</summary>
    internal static ExtractionOptions ExtractionFor(ModelOptions model, ExtractionOptions? requested, string modelPath)
    {
        var visual = model.VisualFeatures is not { } v ? VisualFeatureLayout.Legacy
            : VisualFeatureLayout.Parse(v.Name) ?? throw new AffectFuseException(modelPath,
                $"the model reads visual features '{v}', which 'extract' cannot compute; predict from those features with 'infer'");
        var audio = model.AudioFeatures is not { } a ? AudioFeatureSets.Legacy
            : AudioFeatureSets.Parse(a.Name) ?? throw new AffectFuseException(modelPath,
                $"the model reads audio features '{a}', which 'extract' cannot compute; predict from those features with 'infer'");
        var extraction = (requested ?? new ExtractionOptions()) with { Visual = visual, Audio = audio };
        int visualDim = VisualFeatureLayout.Width(visual), audioDim = AudioFeatureSets.Width(audio);
        if (model.VisualDim != visualDim || model.AudioDim != audioDim)
            throw new AffectFuseException(modelPath,
                $"the model takes visual {model.VisualDim} / audio {model.AudioDim} features, but videos are turned into visual " +
                $"{visualDim} / audio {audioDim} features; train on features made by 'affectfuse extract'");
        return extraction;
    }

    /// <summary>Extracts the features of a video or an audio file (its streams decide which, not its name) and predicts
    /// every frame. With every face followed (<see cref="Faces.FaceSelection.All"/>), the person seen longest;
    /// <see cref="PredictPeople"/> gives them all.</summary>
    public VideoPrediction Predict(string videoPath, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        PredictPeople(videoPath, progress, cancellationToken).MaxBy(p => p.FacePresent.Count(present => present))!;

    /// <summary>Every person's prediction: with <see cref="ExtractionOptions.Face"/> = <see cref="Faces.FaceSelection.All"/>,
    /// one per person seen (ordered by <see cref="VideoPrediction.Person"/>, each with their boxes and
    /// <see cref="VideoPrediction.Speaking"/>; the voice goes to each in proportion to their share of it); otherwise the
    /// one followed face.</summary>
    public IReadOnlyList<VideoPrediction> PredictPeople(string videoPath, IProgress<ExtractionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        PrepareExtraction();
        var people = _pipeline!.ExtractPeople(videoPath, progress, cancellationToken);
        long start = CpuClock.Process();
        // The model may run on several libtorch threads: the process's CPU clock counts them all.
        var predictions = people.Select(Predict).ToList();
        LastExtraction?.Profile?.Add(ProfiledStage.Model, CpuClock.Process() - start);
        return predictions;
    }

    /// <summary>Loads the feature-extraction models now instead of on the first video (e.g. before timing).</summary>
    public void PrepareExtraction() => _pipeline ??= new FeatureExtractionPipeline(_options.Extraction);

    /// <summary>Extracts a video's or an audio file's features (as <c>affectfuse extract</c> does) without predicting.</summary>
    public VideoFeatures ExtractFeatures(string videoPath, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        PrepareExtraction();
        return _pipeline!.Extract(videoPath, progress, cancellationToken);
    }

    /// <summary>Predicts every frame of precomputed features (e.g. from <see cref="FeatureFile.Load"/>); widths must match the model.</summary>
    public VideoPrediction Predict(VideoFeatures features) => Predict(features, Inference);

    /// <summary>Predicts with other soft-voting / smoothing settings than the model's own.</summary>
    public VideoPrediction Predict(VideoFeatures features, InferenceOptions inference)
    {
        SlidingWindowPredictor.CheckOptions(inference);
        // Features extracted with more groups than the model reads (the face cues) give the model its own columns.
        var own = FeatureSetSelection.ForSets(features, ModelOptions.VisualFeatures, ModelOptions.AudioFeatures);
        FeatureCompatibility.Check(ModelOptions, own, features.VideoId);
        // Set on the calling thread (libtorch's OpenMP thread count is per OS thread); the model runs alone, so use the cores.
        torch.set_num_threads(_options.ModelThreads > 0 ? _options.ModelThreads : Environment.ProcessorCount);
        var prediction = VideoPredictor.Predict(_checkpoint.Model, own, inference);
        NativeHeap.Trim();
        return ReferenceEquals(own, features) ? prediction : prediction with { Cues = FaceCues.From(features) };
    }

    /// <summary>The temporal model, for the live session's causal voting.</summary>
    internal AffectFuseModel Model => _checkpoint.Model;

    /// <summary>The extraction pipeline (loaded on first use), for the live session.</summary>
    internal FeatureExtractionPipeline Pipeline
    {
        get
        {
            PrepareExtraction();
            return _pipeline!;
        }
    }

    /// <summary>Torch threads the model runs on.</summary>
    internal int ModelThreads => _options.ModelThreads > 0 ? _options.ModelThreads : Environment.ProcessorCount;

    /// <summary>Releases the model and the extraction models.</summary>
    public void Dispose()
    {
        _pipeline?.Dispose();
        _checkpoint.Model.Dispose();
    }
}
