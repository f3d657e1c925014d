namespace AffectFuse.Faces;

/// <summary>Which BlazeFace network to run.</summary>
internal enum BlazeFaceModel
{
    /// <summary>256×256 "back" (full-range camera) model: finds smaller, farther faces. The default.</summary>
    Back,
    /// <summary>128×128 "front" (selfie) model: faster, for faces filling much of the frame.</summary>
    Front,
}

/// <summary>Settings of <see cref="BlazeFaceDetector"/>.</summary>
internal sealed record BlazeFaceOptions
{
    /// <summary>Network to run.</summary>
    public BlazeFaceModel Model { get; init; } = BlazeFaceModel.Back;

    /// <summary>ONNX file; null takes it from <see cref="Setup.ModelStore"/>.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Models folder for <see cref="Setup.ModelStore.Open"/> when <see cref="ModelPath"/> is null.</summary>
    public string? ModelsRoot { get; init; }

    /// <summary>Lowest sigmoid score kept (MediaPipe uses 0.5).</summary>
    public float MinScore { get; init; } = 0.5f;

    /// <summary>IoU above which overlapping detections are merged (MediaPipe uses 0.3).</summary>
    public float IouThreshold { get; init; } = 0.3f;

    /// <summary>Weighted NMS (MediaPipe's blending) when true, plain NMS when false.</summary>
    public bool WeightedNms { get; init; } = true;

    /// <summary>ONNX Runtime intra-op threads. 1 by default: the pipeline overlaps its stages on the cores instead.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        OptionCheck.Defined("BlazeFaceOptions.Model", Model);
        OptionCheck.Range("BlazeFaceOptions.MinScore", MinScore, 0, 1, maxInclusive: false);
        OptionCheck.Range("BlazeFaceOptions.IouThreshold", IouThreshold, 0, 1);
        OptionCheck.Range("BlazeFaceOptions.IntraOpThreads", IntraOpThreads, 1, 256);
    }
}
