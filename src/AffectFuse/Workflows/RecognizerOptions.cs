using AffectFuse.Features;
using AffectFuse.Inference;

namespace AffectFuse.Workflows;

/// <summary>Settings of <see cref="Recognizer"/>.</summary>
public sealed record RecognizerOptions
{
    /// <summary>How features are extracted from video files.</summary>
    public ExtractionOptions Extraction { get; init; } = new();

    /// <summary>Also run face-api's expression and 68-landmark nets when the model does not read them, so that every
    /// prediction carries the <see cref="FaceCues"/> (face-api's own probabilities, the landmark measures). Costs about
    /// 1–1.5 ms per face the nets see; the model still reads only its own feature set.</summary>
    public bool FaceCues { get; init; }

    /// <summary>Also run MediaPipe's face mesh, iris and blendshape nets when the model does not read them, so that every
    /// prediction carries the 52 blendshape scores among its <see cref="FaceCues"/>. Costs about 17 ms per face the nets
    /// see (<c>bench nets</c>); the model still reads only its own feature set.</summary>
    public bool Blendshapes { get; init; }

    /// <summary>Soft voting and smoothing; null uses the settings the checkpoint was validated with.</summary>
    public InferenceOptions? Inference { get; init; }

    /// <summary>Torch intra-op threads for the temporal model; 0 = one per core. One by default: the model costs about
    /// 0.1 ms a frame on one thread, and libtorch's OpenMP threads spin-wait, which on a shared, busy machine made two
    /// threads 10–40× slower than one (measured with <c>affectfuse bench pipeline</c>).</summary>
    public int ModelThreads { get; init; } = 1;

    /// <summary>Checks every value the one way options are checked; a bad one is an <see cref="AffectFuseException"/>
    /// naming the option and its range.</summary>
    public void Validate()
    {
        Extraction.Validate();
        Inference?.Validate();
        OptionCheck.Range("RecognizerOptions.ModelThreads", ModelThreads, 0, 4096);
    }
}
