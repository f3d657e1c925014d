using AffectFuse.Data;
using AffectFuse.Model;
using AffectFuse.Torch;
using static TorchSharp.torch;

namespace AffectFuse.Training;

/// <summary>Fits the face prior's nets' weights and per-class offsets to the training frames with a face by maximum
/// likelihood (a multinomial logistic regression on the nets' mapped log-probabilities: temperature scaling of each net
/// plus class offsets) and fixes them there, before the Transformer is trained.</summary>
/// <remarks>Why: learned together with the Transformer, the prior's weights shrink far below what calibrates the nets
/// (the shipped recipe ends at face-api 0.04, mini-Xception 0.02, where this fit gives about 0.2 each on the training
/// frames), because on the training domain the model's own features do better; the nets' knowledge, gathered on tens of
/// thousands of faces, then barely reaches the logits on faces unlike the training ones. Fixed at its calibrated value,
/// the prior carries that knowledge and the model learns only its residual. Measured across corpora it did not pay on
/// held-out identities and speakers (README, "Choosing across corpora"), so it is an option, not the shipped recipe.</remarks>
internal static class FacePriorCalibration
{
    /// <summary>Every this-many-th labelled face frame of a video is fitted on (the frames of one still or utterance
    /// change little from one to the next).</summary>
    public const int FrameStride = 4;

    private const int Steps = 500;
    private const double LearningRate = 0.05;

    /// <summary>Fits and fixes <paramref name="prior"/>; returns the frames fitted on and the mean negative
    /// log-likelihood before and after, for the log. Deterministic: full-batch Adam from the prior's current values.</summary>
    public static (int Frames, double Before, double After) Calibrate(FacePrior prior, IReadOnlyList<LabelledVideo> train)
    {
        using var scope = NewDisposeScope();
        var (rows, labels) = FaceFrames(train);
        if (labels.Length == 0)
            throw new AffectFuseException(null, "the face prior cannot be calibrated: no training frame has both a face and a label");
        var visual = tensor(rows, [labels.Length, rows.Length / labels.Length]);
        var target = tensor(labels);
        Tensor[] evidence;
        using (no_grad())
            evidence = [.. Enumerable.Range(0, prior.Nets).Select(n => prior.Evidence(visual, n))];
        var (startWeights, startOffsets) = prior.Values();
        var weights = new TorchSharp.Modules.Parameter(tensor(startWeights));
        var offsets = new TorchSharp.Modules.Parameter(tensor(startOffsets));
        var optimizer = optim.Adam([weights, offsets], LearningRate);
        double before = double.NaN, after = double.NaN;
        for (int step = 0; step <= Steps; step++)
        {
            optimizer.zero_grad();
            var logits = offsets.unsqueeze(0);
            for (int n = 0; n < evidence.Length; n++)
                logits = logits + evidence[n] * weights[n];
            var loss = nn.functional.cross_entropy(logits, target);
            double value = loss.item<float>();
            if (step == 0) before = value;
            after = value;
            if (step == Steps) break;
            loss.backward();
            optimizer.step();
        }
        prior.Fix(weights.detach().data<float>().ToArray(), offsets.detach().data<float>().ToArray());
        return (labels.Length, before, after);
    }

    // The visual rows and labels of every FrameStride-th frame of each video that has a face and a label.
    private static (float[] Rows, long[] Labels) FaceFrames(IReadOnlyList<LabelledVideo> train)
    {
        int width = train.Count > 0 ? train[0].Features.Visual.Width : 0;
        var rows = new List<float>();
        var labels = new List<long>();
        var row = new float[width];
        foreach (var video in train)
        {
            var (visual, mask) = (video.Features.Visual, video.Features.VisualMask);
            int seen = 0;
            for (int f = 0; f < Math.Min(mask.Length, video.Labels.Length); f++)
            {
                if (!mask[f] || video.Labels[f] < 0 || video.Labels[f] >= ExpressionClasses.Count || seen++ % FrameStride != 0)
                    continue;
                visual.CopyRows(f, 1, row);
                rows.AddRange(row);
                labels.Add(video.Labels[f]);
            }
        }
        return ([.. rows], [.. labels]);
    }
}
