using AffectFuse.Data;
using AffectFuse.Inference;
using AffectFuse.Model;
using static TorchSharp.torch;

namespace AffectFuse.Benchmarks.Ablation;

/// <summary>Sliding-window soft voting (<see cref="SlidingWindowPredictor.Vote"/>) that also counts the windows whose
/// outputs are not finite, so the ablation can report how often plain masked softmax yields NaN at inference.</summary>
/// <remarks>Produces exactly what <see cref="SlidingWindowPredictor.Predict"/> does; a frame covered only by NaN windows
/// keeps NaN probabilities, which argmax turns into class 0.</remarks>
public sealed class NonFiniteWindowVoter(AffectFuseModel model)
{
    /// <summary>Windows run so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Of <see cref="Windows"/>, those with any NaN or infinite logit.</summary>
    public long NonFiniteWindows { get; private set; }

    /// <summary>Voted per-frame probabilities <c>[T, 8]</c> of <paramref name="video"/>, counting windows as it goes.</summary>
    public float[] Vote(VideoFeatures video, InferenceOptions options)
    {
        SlidingWindowPredictor.CheckOptions(options);
        FeatureCompatibility.Check(model.Options, video, video.VideoId);
        int length = Math.Min(options.Window, video.FrameCount);
        if (length > model.Options.MaxLength)
            throw new AffectFuseException(null, $"window {length} exceeds the model's maximum length {model.Options.MaxLength}");
        bool wasTraining = model.training;
        model.eval();
        try
        {
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            return SlidingWindowPredictor.Vote(video.FrameCount, options, (starts, len) =>
            {
                var (v, mv, a, ma) = new VideoWindowBatch(video, starts, len).ToTensors(device);
                var logits = model.forward(v, mv, a, ma);
                long bad = logits.isfinite().logical_not().reshape(starts.Count, -1).any(1).sum().item<long>();
                Windows += starts.Count;
                NonFiniteWindows += bad;
                return logits;
            });
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
