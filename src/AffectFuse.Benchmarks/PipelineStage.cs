using AffectFuse.Features;
using AffectFuse.Inference;

namespace AffectFuse.Benchmarks;

/// <summary>What one pipeline measurement times.</summary>
public enum PipelineStage
{
    /// <summary>Video decoding alone (OpenCV's FFmpeg, its default threads), frames disposed at once.</summary>
    Decode,
    /// <summary>The whole feature extraction path (<see cref="FeatureExtractionPipeline"/>).</summary>
    Extract,
    /// <summary>Extraction plus the temporal model's sliding-window prediction (<see cref="Recognizer"/>).</summary>
    ExtractAndModel,
}
