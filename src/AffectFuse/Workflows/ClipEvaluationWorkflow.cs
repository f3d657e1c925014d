using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Features;
using AffectFuse.Features.Sets;
using AffectFuse.Features.Visual;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Workflows;

/// <summary>What a clip-labelled evaluation reads and writes. Checked before any work starts.</summary>
internal sealed record ClipEvaluationRequest
{
    /// <summary>A folder of <c>.npz</c> feature files, or of media files (searched recursively) to extract first.</summary>
    public required string Folder { get; init; }

    /// <summary>The clip label CSV (<see cref="ClipLabelFile"/>).</summary>
    public required string Labels { get; init; }

    /// <summary>The checkpoint file (named in the JSON).</summary>
    public required string ModelPath { get; init; }

    /// <summary>Voting and smoothing; null uses the checkpoint's, as <c>predict</c> does.</summary>
    public InferenceOptions? Inference { get; init; }

    /// <summary>How media files are extracted; the feature groups are the model's, with both face nets' added so that
    /// their baselines can be scored.</summary>
    public ExtractionOptions Extraction { get; init; } = new();

    /// <summary>Where extracted features are kept (and found again on the next run); null extracts into a temporary
    /// folder removed at the end.</summary>
    public string? FeaturesCache { get; init; }

    /// <summary>Scores as JSON.</summary>
    public string? Json { get; init; }

    /// <summary>One CSV row per clip: the truth and each system's label.</summary>
    public string? PerClipCsv { get; init; }

    /// <summary>The model's clip confusion-matrix heatmap PNG.</summary>
    public string? ConfusionPng { get; init; }

    /// <summary>Checks the inputs exist and the outputs can be written; an <see cref="AffectFuseException"/> otherwise.</summary>
    public void Validate()
    {
        if (!Directory.Exists(Folder))
            throw new AffectFuseException(Folder, File.Exists(Folder) ? "is a file; name the folder of clips" : "clip folder not found");
        InputFile.RequireContent(Labels, "clip label CSV");
        Inference?.Validate();
        Extraction.Validate();
        foreach (var path in new[] { Json, PerClipCsv, ConfusionPng })
            if (path is not null)
                OutputLocation.File(path);
        if (FeaturesCache is not null)
            OutputLocation.FolderCanBeMade(FeaturesCache);
    }
}

/// <summary>What a clip-labelled evaluation found.</summary>
/// <param name="Result">Each system's clip scores and each clip's outcome.</param>
/// <param name="Inference">The voting settings used.</param>
/// <param name="Media">True when the clips were media files, extracted first.</param>
/// <param name="Extracted">Clips extracted by this run (the others were found in the cache).</param>
internal sealed record ClipEvaluationOutcome(ClipEvaluationResult Result, InferenceOptions Inference, bool Media, int Extracted);

/// <summary>Progress of a clip-labelled evaluation: the phase (<c>extract</c> or <c>evaluate</c>), clips done and in all.</summary>
internal readonly record struct ClipEvaluationProgress(string Phase, int Done, int Total);

/// <summary>Clip-labelled evaluation (most emotion corpora label whole clips): every clip predicted as <c>predict</c>
/// does, labelled by the majority of its frames, and scored with clip accuracy, macro-F1 and the confusion matrix, beside
/// the model with the face or the voice masked and each face net alone.</summary>
internal static class ClipEvaluationWorkflow
{
    /// <summary>Runs the evaluation of <paramref name="checkpoint"/>; <paramref name="warn"/> hears about files left out
    /// and extraction warnings.</summary>
    public static ClipEvaluationOutcome Run(LoadedCheckpoint checkpoint, ClipEvaluationRequest request,
        IProgress<ClipEvaluationProgress>? progress = null, Action<string>? warn = null)
    {
        request.Validate();
        var options = request.Inference ?? checkpoint.Options.Validation;
        options.Validate(checkpoint.Model.Options.MaxLength);
        var labels = ClipLabelFile.Read(request.Labels);
        var clips = ClipFiles.Find(request.Folder, request.Labels, labels, warn);
        string? temporary = null;
        try
        {
            var files = clips.Files;
            int extracted = 0;
            if (clips.Media)
            {
                string cache = request.FeaturesCache ?? (temporary = Directory.CreateTempSubdirectory("affectfuse-clips-").FullName);
                (files, extracted) = Extract(checkpoint, request, clips.Files, cache, progress, warn);
            }
            var outcomes = Predict(checkpoint, labels, files, options, progress);
            var result = ClipEvaluationResult.Compute(outcomes);
            WriteOutputs(request, result, options);
            return new ClipEvaluationOutcome(result, options, clips.Media, extracted);
        }
        finally
        {
            if (temporary is not null)
                Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>The extraction settings for clips: the model's feature set, with both face nets' groups added so that
    /// their baselines can be scored (the model reads only its own columns).</summary>
    internal static ExtractionOptions ExtractionFor(LoadedCheckpoint checkpoint, ClipEvaluationRequest request)
    {
        var extraction = Recognizer.ExtractionFor(checkpoint.Model.Options, request.Extraction, request.ModelPath);
        return extraction with { Visual = extraction.Visual | VisualFeatureGroups.FaceApiExpression | VisualFeatureGroups.MiniXception };
    }

    // Through the extraction workflow, so a cache folder resumes as 'extract' does; any clip that fails stops the
    // evaluation, since scores over the clips that happened to extract would not be the corpus's.
    private static (IReadOnlyList<ClipFile> Features, int Extracted) Extract(LoadedCheckpoint checkpoint, ClipEvaluationRequest request,
        IReadOnlyList<ClipFile> clips, string cache, IProgress<ClipEvaluationProgress>? progress, Action<string>? warn)
    {
        var extraction = ExtractionFor(checkpoint, request);
        // A video two labelled persons share is extracted once.
        var media = clips.Select(c => c.Path).Distinct().ToList();
        var plan = FolderExtraction.Plan(media, cache, extraction);
        var run = plan.Run(progress is null ? null : new SynchronousProgress<FolderExtractionProgress>(p =>
            progress.Report(new ClipEvaluationProgress("extract", p.Index, p.Count))));
        foreach (var warning in run.Warnings)
            warn?.Invoke(warning.Problem);
        if (run.Failures.Count > 0)
        {
            foreach (var failure in run.Failures.Skip(1))
                warn?.Invoke(failure.Problem);
            string more = run.Failures.Count > 1 ? $" (and {run.Failures.Count - 1} more clips failed, above)" : "";
            throw new AffectFuseException(null, run.Failures[0].Problem + more);
        }
        return ([.. clips.Select(c => c with { Path = FolderExtraction.OutputPath(plan.OutDir, c.Path, extraction.Face) })], run.Done);
    }

    private static List<ClipOutcome> Predict(LoadedCheckpoint checkpoint, IReadOnlyList<ClipLabel> labels, IReadOnlyList<ClipFile> files,
        InferenceOptions options, IProgress<ClipEvaluationProgress>? progress)
    {
        var model = checkpoint.Model;
        var outcomes = new List<ClipOutcome>(labels.Count);
        for (int i = 0; i < labels.Count; i++)
        {
            progress?.Report(new ClipEvaluationProgress("evaluate", i, labels.Count));
            var (path, person) = files[i];
            var full = person is null ? FeatureFile.Load(path) : FeatureFile.LoadPerson(path, person);
            // The face nets read the file's full columns; the model its own set, cut out of them.
            var own = FeatureSetSelection.ForSets(full, model.Options.VisualFeatures, model.Options.AudioFeatures);
            FeatureCompatibility.Check(model.Options, own, path);
            outcomes.Add(ClipOutcome.Predict(model, labels[i], full, own, options));
        }
        progress?.Report(new ClipEvaluationProgress("evaluate", labels.Count, labels.Count));
        return outcomes;
    }

    private static void WriteOutputs(ClipEvaluationRequest request, ClipEvaluationResult result, InferenceOptions options)
    {
        if (request.Json is { } json)
            ClipScoresJson.Write(json, result, options, request.ModelPath, request.Labels, request.Folder);
        if (request.PerClipCsv is { } csv)
            ClipScoresCsv.Write(csv, result);
        if (request.ConfusionPng is { } png)
            ConfusionMatrixPlot.Save(png, result.Model.Confusion,
                $"clips: macro-F1 {result.Model.MacroF1:0.0000}, accuracy {result.Model.Accuracy:P2}");
    }
}
