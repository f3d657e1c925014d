namespace AffectFuse.Benchmarks.Ablation;

/// <summary>One rung's figures over its seeds: mean ± sd of every score, NaN counts summed, the settings chosen per seed.</summary>
internal sealed record AblationRow
{
    /// <summary>Rung name.</summary>
    public required string Config { get; init; }

    /// <summary>What the rung is.</summary>
    public required string Description { get; init; }

    /// <summary>Seeds aggregated.</summary>
    public required int Seeds { get; init; }

    /// <summary>Validation macro-F1.</summary>
    public required MeanSd ValidationMacroF1 { get; init; }

    /// <summary>Validation accuracy.</summary>
    public required MeanSd ValidationAccuracy { get; init; }

    /// <summary>Test macro-F1.</summary>
    public required MeanSd TestMacroF1 { get; init; }

    /// <summary>Test accuracy.</summary>
    public required MeanSd TestAccuracy { get; init; }

    /// <summary>Test macro-F1 on frames without a face.</summary>
    public required MeanSd TestFaceAbsentMacroF1 { get; init; }

    /// <summary>Test macro-F1 on frames with a face.</summary>
    public required MeanSd TestFacePresentMacroF1 { get; init; }

    /// <summary>Predicted label flips per minute on test.</summary>
    public required MeanSd TestFlipsPerMinute { get; init; }

    /// <summary>Test F1 of each class (index = label).</summary>
    public required IReadOnlyList<MeanSd> TestPerClassF1 { get; init; }

    /// <summary>Training steps with a non-finite loss, summed over seeds.</summary>
    public required long NonFiniteTrainingBatches { get; init; }

    /// <summary>Training steps, summed over seeds.</summary>
    public required long TrainingBatches { get; init; }

    /// <summary>Validation windows with non-finite outputs, summed over seeds.</summary>
    public required long NonFiniteValidationWindows { get; init; }

    /// <summary>Validation windows, summed over seeds.</summary>
    public required long ValidationWindows { get; init; }

    /// <summary>Test windows with non-finite outputs, summed over seeds.</summary>
    public required long NonFiniteTestWindows { get; init; }

    /// <summary>Test windows, summed over seeds.</summary>
    public required long TestWindows { get; init; }

    /// <summary>Stride used per seed.</summary>
    public required IReadOnlyList<int> Strides { get; init; }

    /// <summary>Smoothing half-width used per seed.</summary>
    public required IReadOnlyList<int> SmoothingHalfWidths { get; init; }

    /// <summary>Aggregates <paramref name="runs"/> (all of one rung).</summary>
    public static AblationRow Aggregate(AblationConfig config, IReadOnlyList<AblationRunResult> runs)
    {
        var ordered = runs.OrderBy(r => r.Seed).ToList();
        return new AblationRow
        {
            Config = config.Name,
            Description = config.Description,
            Seeds = ordered.Count,
            ValidationMacroF1 = MeanSd.Of(ordered.Select(r => r.Validation.MacroF1)),
            ValidationAccuracy = MeanSd.Of(ordered.Select(r => r.Validation.Accuracy)),
            TestMacroF1 = MeanSd.Of(ordered.Select(r => r.Test.MacroF1)),
            TestAccuracy = MeanSd.Of(ordered.Select(r => r.Test.Accuracy)),
            TestFaceAbsentMacroF1 = MeanSd.Of(ordered.Select(r => r.Test.FaceAbsentMacroF1)),
            TestFacePresentMacroF1 = MeanSd.Of(ordered.Select(r => r.Test.FacePresentMacroF1)),
            TestFlipsPerMinute = MeanSd.Of(ordered.Select(r => r.Test.FlipsPerMinute)),
            TestPerClassF1 = Enumerable.Range(0, ExpressionClasses.Count).Select(c => MeanSd.Of(ordered.Select(r => r.Test.PerClassF1[c]))).ToArray(),
            NonFiniteTrainingBatches = ordered.Sum(r => r.NonFiniteTrainingBatches),
            TrainingBatches = ordered.Sum(r => r.TrainingBatches),
            NonFiniteValidationWindows = ordered.Sum(r => r.Validation.NonFiniteWindows),
            ValidationWindows = ordered.Sum(r => r.Validation.Windows),
            NonFiniteTestWindows = ordered.Sum(r => r.Test.NonFiniteWindows),
            TestWindows = ordered.Sum(r => r.Test.Windows),
            Strides = ordered.Select(r => r.Inference.Stride).ToArray(),
            SmoothingHalfWidths = ordered.Select(r => r.Inference.SmoothingHalfWidth).ToArray(),
        };
    }
}
