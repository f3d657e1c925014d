using AffectFuse.Features;

namespace AffectFuse.Benchmarks;

/// <summary>Settings of a <see cref="PipelineBenchmark"/> run.</summary>
public sealed record PipelineBenchmarkSettings
{
    /// <summary>The video measured.</summary>
    public required string Video { get; init; }

    /// <summary>Checkpoint for the model stage; null makes a randomly initialised model of the default architecture
    /// (its speed does not depend on the weights).</summary>
    public string? ModelPath { get; init; }

    /// <summary>Extraction settings.</summary>
    public ExtractionOptions Extraction { get; init; } = new();

    /// <summary>Length of the short looped video for the memory comparison, seconds.</summary>
    public double ShortSeconds { get; init; } = 60;

    /// <summary>Length of the long looped video, seconds.</summary>
    public double LongSeconds { get; init; } = 600;

    /// <summary>Skip the looped-video memory comparison.</summary>
    public bool SkipMemoryScaling { get; init; }

    /// <summary>Also measure every face followed (<see cref="Faces.FaceSelection.All"/>): on the clip itself (what
    /// following everyone costs with one face) and on a two-person clip made from it, the clip beside its mirror image
    /// (what a second face costs).</summary>
    public bool People { get; init; }
}
