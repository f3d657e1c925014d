using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Sliding-window soft voting that also counts the windows whose
/// outputs are not finite, so the ablation can report how often plain masked softmax yields NaN at inference.</summary>
/// <remarks>Produces exactly what <see cref="SlidingWindowPredictor.Predict(AffectFuseModel, VideoFeatures, InferenceOptions)"/> does; a frame covered only by NaN windows
/// keeps NaN probabilities, which argmax turns into class 0.</remarks>
internal sealed class NonFiniteWindowVoter(AffectFuseModel model)
{
    /// <summary>Windows run so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Of <see cref="Windows"/>, those with any NaN or infinite logit.</summary>
    public long NonFiniteWindows { get; private set; }

    /// <summary>Voted per-frame probabilities <c>[T, 8]</c> of <paramref name="video"/>, counting windows as it goes.</summary>
    public float[] Vote(VideoFeatures video, InferenceOptions options)
        => SlidingWindowPredictor.Predict(model, video, options, logits =>
        {
            Windows += logits.shape[0];
            NonFiniteWindows += logits.isfinite().logical_not().reshape(logits.shape[0], -1).any(1).sum().item<long>();
        });
}
