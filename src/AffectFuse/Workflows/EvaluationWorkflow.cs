using AffectFuse.Data;
using AffectFuse.Evaluation;
using AffectFuse.Inference;
using AffectFuse.IO;
using AffectFuse.Model;
using AffectFuse.Reporting;
using AffectFuse.Training;

namespace AffectFuse.Workflows;

/// <summary>What to evaluate and what to write. Paths are checked before any work starts.</summary>
internal sealed record EvaluationRequest
{
    /// <summary>The checkpoint file (named in reports and the JSON).</summary>
    public required string ModelPath { get; init; }

    /// <summary>Labelled features.</summary>
    public required DatasetSource Source { get; init; }

    /// <summary>Voting and smoothing (the checkpoint's, with the user's overrides).</summary>
    public required InferenceOptions Inference { get; init; }

    /// <summary>Sweep these settings first and evaluate with the best; null = evaluate with <see cref="Inference"/>.</summary>
    public SweepGrid? Sweep { get; init; }

    /// <summary>With <see cref="Sweep"/>: write a copy of the checkpoint whose inference settings are the best found.</summary>
    public string? SaveBest { get; init; }

    /// <summary>Scores as JSON.</summary>
    public string? Json { get; init; }

    /// <summary>Confusion-matrix heatmap PNG.</summary>
    public string? ConfusionPng { get; init; }

    /// <summary>Self-contained HTML report.</summary>
    public string? Report { get; init; }

    /// <summary>Also score the model with the face masked and with the voice masked, and each face net alone whose
    /// columns the features hold (<see cref="EvaluationResult.Baselines"/>); runs the model three times.</summary>
    public bool Baselines { get; init; } = true;
}

/// <summary>What an evaluation found, and with which settings.</summary>
internal sealed record EvaluationOutcome(int Videos, InferenceOptions Inference, EvaluationResult Result, SweepResult? Sweep);

/// <summary>Progress of an evaluation: the phase (<c>sweep</c>, <c>evaluate</c> or <c>baselines</c>), steps done and in all.</summary>
internal readonly record struct EvaluationProgress(string Phase, int Done, int Total);

/// <summary>Evaluate: a checkpoint scored on labelled videos (macro-F1, accuracy, per class, confusion, by condition),
/// optionally after sweeping window, stride and smoothing on them, with its score files.</summary>
internal static class EvaluationWorkflow
{
    /// <summary>Runs the evaluation of <paramref name="checkpoint"/>; <paramref name="warn"/> hears about labels re-aligned to
    /// their features.</summary>
    public static EvaluationOutcome Run(LoadedCheckpoint checkpoint, EvaluationRequest request, IProgress<EvaluationProgress>? progress = null,
        Action<string>? warn = null)
    {
        if (request.SaveBest is not null && request.Sweep is null)
            throw OptionCheck.Fail("EvaluationRequest.SaveBest", $"needs {OptionName.Of("EvaluationRequest.Sweep")}");
        // Before the work: an output that cannot be written fails now, not after the sweep.
        foreach (var path in new[] { request.Json, request.ConfusionPng, request.Report, request.SaveBest })
            if (path is not null)
                OutputLocation.File(path);

        var model = checkpoint.Model;
        var loaded = DatasetLoader.LoadLabelled(request.Source, warn);
        // The face nets' own columns are read before the model's feature set is cut out of the file's columns.
        var faceNets = request.Baselines ? loaded.Select(v => FaceNetBaseline.Of(v.Features)).ToList() : null;
        var videos = loaded.Select(v => v with { Features = ModelInput.Fit(model.Options, v.Features, request.Source) }).ToList();
        if (videos.Count == 0)
            throw new AffectFuseException(request.Source.LabelsDir, "no labelled videos found");

        var options = request.Inference;
        SweepResult? sweep = null;
        if (request.Sweep is { } grid)
        {
            sweep = Sweep.Run(model, videos, grid, options, (done, total) => progress?.Report(new EvaluationProgress("sweep", done, total)));
            options = sweep.Best.Options;
            if (request.SaveBest is { } bestPath)
                Checkpoint.Save(bestPath, model, checkpoint.Options with { Validation = options }, checkpoint.State);
        }
        var evaluated = DatasetEvaluation.Predict(model, videos, options, (done, total) => progress?.Report(new EvaluationProgress("evaluate", done, total)));
        var result = EvaluationResult.Compute(evaluated);
        if (faceNets is not null)
            result = result with
            {
                Baselines = SystemComparison.Frames(model, videos, faceNets, options, (done, total) => progress?.Report(new EvaluationProgress("baselines", done, total))),
            };
        WriteOutputs(checkpoint, request, options, result, evaluated, sweep);
        return new EvaluationOutcome(videos.Count, options, result, sweep);
    }

    private static void WriteOutputs(LoadedCheckpoint checkpoint, EvaluationRequest request, InferenceOptions options, EvaluationResult result,
        IReadOnlyList<EvaluatedVideo> evaluated, SweepResult? sweep)
    {
        if (request.Json is { } json)
            ScoresJson.Write(json, result, options, sweep, request.ModelPath);
        if (request.ConfusionPng is { } png)
            ConfusionMatrixPlot.Save(png, result.Overall.Confusion, $"macro-F1 {result.Overall.MacroF1:0.0000}, accuracy {result.Overall.Accuracy:P2}");
        if (request.Report is { } report)
        {
            var source = request.Source;
            var provenance = new ReportProvenance
            {
                ModelPath = Path.GetFullPath(request.ModelPath),
                Training = checkpoint.Options,
                Checkpoint = checkpoint.State,
                DataPath = source.FeaturesDir ?? string.Join(" + ", new[] { source.VisualNpyDir, source.AudioNpyDir }.OfType<string>()),
                LabelsPath = source.LabelsDir is { } labelsDir ? Path.GetFullPath(labelsDir) : null,
                Inference = options,
            };
            HtmlReport.Save(report, HtmlReport.ForEvaluation(result, provenance, evaluated, sweep));
        }
    }
}
