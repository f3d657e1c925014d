using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>Multi-class focal loss FL = −α_y (1 − p_y)^γ log p_y, averaged over frames with label ≥ 0.</summary>
/// <remarks>Computed from log_softmax so log p_y never under- or overflows. With γ = 0 and α = 1 it is exactly cross-entropy.
/// A batch with no labelled frame gives 0 connected to the graph (so backward still works).</remarks>
internal sealed class FocalLoss : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Tensor alpha;
    private readonly double gamma;
    private readonly double smoothing;

    /// <summary>α per class (length 8), γ and the label smoothing ε: the target puts 1 − ε on the labelled class and
    /// spreads ε evenly over all eight (0 = none).</summary>
    public FocalLoss(float[] alpha, double gamma, double labelSmoothing = 0) : base("focal_loss")
    {
        if (alpha.Length != ExpressionClasses.Count || alpha.Any(a => !float.IsFinite(a) || a < 0))
            throw new ArgumentException($"focal loss needs {ExpressionClasses.Count} finite, non-negative α values");
        if (!double.IsFinite(gamma) || gamma < 0)
            throw new ArgumentException($"focal loss γ must be finite and ≥ 0 (got {gamma})");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw new ArgumentException($"label smoothing must be in [0, 1) (got {labelSmoothing})");
        this.alpha = torch.tensor(alpha);
        this.gamma = gamma;
        smoothing = labelSmoothing;
        RegisterComponents();
    }

    /// <summary>The γ this loss was built with.</summary>
    public double Gamma => gamma;

    /// <summary>logits [N,C], target [N] int64 (-1 ignored) → scalar.</summary>
    public override Tensor forward(Tensor logits, Tensor target)
    {
        if (logits.dim() != 2 || target.dim() != 1 || target.shape[0] != logits.shape[0])
            throw new ArgumentException($"focal loss expects logits [N,C] and target [N], got [{string.Join(",", logits.shape)}] and [{string.Join(",", target.shape)}]");
        var labelled = target.ge(ScalarCache.OfInteger(0));
        var safeTarget = target.clamp_min(ScalarCache.OfInteger(0)).to(ScalarType.Int64);
        var logProbabilities = nn.functional.log_softmax(logits, 1);
        var logProb = logProbabilities.gather(1, safeTarget.unsqueeze(1)).squeeze(1);
        var weight = alpha.to(logits.device).to(logits.dtype).index_select(0, safeTarget);
        if (gamma != 0)
        {
            // clamp keeps (1 − p)^γ differentiable where p rounds to 1.
            var modulating = logProb.exp().neg().add_(ScalarCache.Of(1.0), ScalarCache.One).clamp_min(ScalarCache.Of(1e-12)).pow(ScalarCache.Of(gamma));
            weight = weight * modulating;
        }
        // Smoothing changes what the labelled frame is scored against, not how hard it is: (1 − p_y)^γ stays the
        // labelled class's, as in focal loss with smoothed targets.
        var targetTerm = smoothing == 0 ? logProb
            : logProb.mul(ScalarCache.Of(1 - smoothing)).add_(logProbabilities.mean([1]), ScalarCache.Of(smoothing));
        var perFrame = -(weight * targetTerm) * labelled.to(logits.dtype);
        var count = labelled.sum().to(logits.dtype).clamp_min(ScalarCache.Of(1.0));
        return perFrame.sum() / count;
    }

    /// <summary>α from training-label counts: uniform, or (1 / frequency)^power normalised to mean 1 over the classes that occur
    /// (a class with no frames never reaches the loss and gets 1).</summary>
    public static float[] AlphaFromCounts(IReadOnlyList<long> counts, ClassWeighting weighting, double power)
    {
        if (counts.Count != ExpressionClasses.Count)
            throw new ArgumentException($"expected {ExpressionClasses.Count} class counts, got {counts.Count}");
        if (counts.Any(c => c < 0))
            throw new ArgumentException("class counts must not be negative");
        var alpha = Enumerable.Repeat(1f, counts.Count).ToArray();
        if (weighting == ClassWeighting.Uniform)
            return alpha;
        if (!double.IsFinite(power) || power < 0)
            throw new ArgumentException($"class weight power must be finite and ≥ 0 (got {power})");
        double total = counts.Sum();
        var present = Enumerable.Range(0, counts.Count).Where(c => counts[c] > 0).ToArray();
        if (present.Length == 0)
            return alpha;
        var raw = present.Select(c => Math.Pow(total / counts[c], power)).ToArray();
        double mean = raw.Average();
        for (int i = 0; i < present.Length; i++)
            alpha[present[i]] = (float)(raw[i] / mean);
        return alpha;
    }
}
