using AffectFuse.Model;

namespace AffectFuse.Benchmarks;

/// <summary>Analytic forward-pass FLOP counts (2 per multiply-add) of the matrix products: projections, attention scores and
/// weighted sums, feed-forward blocks, gate and heads. Element-wise work (LayerNorm, softmax, GELU) is left out, as is usual.</summary>
public static class ModelBenchmarkFlops
{
    /// <summary>One pre-LN or post-LN Transformer layer (self- or cross-attention: the same matrix products) over B windows of T frames.</summary>
    public static double TransformerLayer(long batch, long window, long width, long feedForward)
    {
        double tokens = (double)batch * window;
        double projections = 2 * tokens * width * (3 * width) + 2 * tokens * width * width;   // Q,K,V + output
        double attention = 2 * 2 * (double)batch * window * window * width;                     // QKᵀ and AV over all heads
        double ffn = 2 * 2 * tokens * width * feedForward;
        return projections + attention + ffn;
    }

    /// <summary>Forward FLOPs of <see cref="AffectFuseModel"/> for one batch.</summary>
    public static double Model(ModelOptions o, long batch, long window)
    {
        double tokens = (double)batch * window;
        bool visual = o.Modalities != ModalityUse.AudioOnly, audio = o.Modalities != ModalityUse.VisualOnly;
        double layer = TransformerLayer(batch, window, o.Width, o.FeedForward);
        double total = 2 * tokens * o.Width * ExpressionClasses.Count;                     // fused head
        if (visual) total += 2 * tokens * o.VisualDim * o.Width + o.SelfLayers * layer;
        if (audio) total += 2 * tokens * o.AudioDim * o.Width + o.SelfLayers * layer;
        if (visual && audio)
        {
            if (o.Fusion == FusionKind.CrossAttentionGated)
                total += 2 * o.CrossLayers * layer + 2 * tokens * (2 * o.Width + 2) * 2;  // both directions + gate
            else
                total += 2 * tokens * 2 * o.Width * o.Width;                              // concat projection
            if (o.AuxiliaryHeads)
                total += 2 * 2 * tokens * o.Width * ExpressionClasses.Count;
        }
        return total;
    }

    /// <summary>Forward FLOPs of the stock comparison stack (<see cref="ModelBenchmarkStockStack"/>).</summary>
    public static double StockStack(long inputDim, long width, long feedForward, int layers, long batch, long window)
    {
        double tokens = (double)batch * window;
        return 2 * tokens * inputDim * width + layers * TransformerLayer(batch, window, width, feedForward)
            + 2 * tokens * width * ExpressionClasses.Count;
    }
}
