using AffectFuse.Data;
using AffectFuse.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Inference;

/// <summary>Sliding-window soft voting over a whole video.</summary>
internal static class SlidingWindowPredictor
{
    /// <summary>Per-frame class probabilities, row-major <c>[T, 8]</c>; every frame covered.</summary>
    /// <remarks>A video shorter than the window runs as one window of its own length rather than padded with
    /// masked frames: the model would still attend to padding positions (as "missing" tokens), which would change
    /// the real frames' outputs, while a shorter window is exactly what the model sees for a short clip.</remarks>
    public static float[] Predict(AffectFuseModel model, VideoFeatures video, InferenceOptions options)
        => Predict(model, video, options, observeLogits: null);

    /// <summary>As <see cref="Predict(AffectFuseModel, VideoFeatures, InferenceOptions)"/>, showing each batch's logits
    /// <c>[B, T, 8]</c> to <paramref name="observeLogits"/> first (e.g. to count non-finite windows).</summary>
    public static float[] Predict(AffectFuseModel model, VideoFeatures video, InferenceOptions options, Action<Tensor>? observeLogits)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(video);
        CheckOptions(options);
        FeatureCompatibility.Check(model.Options, video, video.VideoId);
        int length = Math.Min(options.Window, video.FrameCount);
        if (length > model.Options.MaxLength)
            throw new AffectFuseException(null, $"window {length} exceeds the model's maximum length {model.Options.MaxLength}");

        // Validation during training calls this too: leave the model in the mode it came in.
        bool wasTraining = model.training;
        model.eval();
        try
        {
            var device = model.parameters().FirstOrDefault()?.device ?? CPU;
            return Vote(video.FrameCount, options, (starts, len) =>
            {
                var (v, mv, a, ma) = VideoWindowBatch.ToTensors(video, starts, len, device);
                var logits = model.forward(v, mv, a, ma);
                observeLogits?.Invoke(logits);
                return logits;
            });
        }
        finally
        {
            if (wasTraining)
                model.train();
        }
    }

    /// <summary>Start frames of the windows covering <paramref name="frameCount"/> frames: every <paramref name="stride"/>
    /// frames, plus a final window ending at the last frame when the stride leaves a remainder; a single window at 0
    /// when the video is no longer than the window.</summary>
    public static IReadOnlyList<int> WindowStarts(int frameCount, int window, int stride)
    {
        if (window < 1 || stride < 1 || stride > window)
            throw new ArgumentOutOfRangeException(nameof(stride), $"need 1 <= stride ({stride}) <= window ({window})");
        if (frameCount <= 0)
            return [];
        if (frameCount <= window)
            return [0];
        var starts = new List<int>();
        int last = frameCount - window;
        for (int s = 0; s <= last; s += stride)
            starts.Add(s);
        if (starts[^1] != last)
            starts.Add(last);
        return starts;
    }

    /// <summary>Vote weights within a window: the Hann window without its zero end points, so edges keep a small,
    /// strictly positive weight; uniform (all 1) when <paramref name="centreWeighted"/> is false.</summary>
    public static double[] WindowWeights(int length, bool centreWeighted)
    {
        var w = new double[length];
        for (int i = 0; i < length; i++)
            w[i] = centreWeighted ? 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 1) / (length + 1)) : 1.0;
        return w;
    }

    /// <summary>Checks option ranges; a bad value is an <see cref="AffectFuseException"/> naming the option.</summary>
    public static void CheckOptions(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
    }

    /// <summary>The voting itself, independent of the model: <paramref name="logitsOfBatch"/> maps window starts and
    /// the window length to logits <c>[B, length, 8]</c>; each frame gets the weighted mean of the softmax of every
    /// window covering it.</summary>
    public static float[] Vote(int frameCount, InferenceOptions options, Func<IReadOnlyList<int>, int, Tensor> logitsOfBatch)
    {
        CheckOptions(options);
        const int k = ExpressionClasses.Count;
        if (frameCount <= 0)
            return [];
        int length = Math.Min(options.Window, frameCount);
        var starts = WindowStarts(frameCount, options.Window, options.Stride);
        var weights = WindowWeights(length, options.CentreWeighted);
        var sums = new double[(long)frameCount * k];
        var weightSums = new double[frameCount];

        using var noGrad = torch.no_grad();
        for (int first = 0; first < starts.Count; first += options.BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            int b = Math.Min(options.BatchSize, starts.Count - first);
            var batch = new int[b];
            for (int i = 0; i < b; i++)
                batch[i] = starts[first + i];
            var logits = logitsOfBatch(batch, length);
            if (logits.ndim != 3 || logits.shape[0] != b || logits.shape[1] != length || logits.shape[2] != k)
                throw new InvalidOperationException($"model returned logits of shape [{string.Join(",", logits.shape)}], expected [{b},{length},{k}]");
            float[] probs = torch.nn.functional.softmax(logits.to_type(ScalarType.Float32), -1).cpu().data<float>().ToArray();
            for (int i = 0; i < b; i++)
            {
                int s = batch[i];
                for (int j = 0; j < length; j++)
                {
                    double w = weights[j];
                    int frame = s + j;
                    weightSums[frame] += w;
                    long src = ((long)i * length + j) * k, dst = (long)frame * k;
                    for (int c = 0; c < k; c++)
                        sums[dst + c] += w * probs[src + c];
                }
            }
        }

        var result = new float[sums.Length];
        for (int f = 0; f < frameCount; f++)
        {
            for (int c = 0; c < k; c++)
                result[(long)f * k + c] = (float)(sums[(long)f * k + c] / weightSums[f]);
        }
        return result;
    }
}
