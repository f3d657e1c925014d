using AffectFuse.Data;
using AffectFuse.Features.Visual;
using AffectFuse.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>The face prior: the pretrained face nets' own log-probabilities, mapped onto the eight classes, each net
/// with a learned weight, plus a learned per-class offset, on frames with a face (zero elsewhere). Added to the fused
/// head's logits, so the Transformer learns a residual over what nets trained on tens of thousands of faces already
/// know, instead of relearning it from a small training set and overriding it.</summary>
internal sealed class FacePrior : nn.Module<Tensor, Tensor, Tensor>
{
    // log(1e-4): a net's 0 probability still counts as strong evidence against, without −∞.
    private const double Floor = 1e-4;
    private readonly long[][] columns;
    private readonly float[][] maps;
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>The prior for visual features laid out as <paramref name="visualSet"/>; the set must hold at least one
    /// face net's probabilities.</summary>
    public FacePrior(FeatureSetId? visualSet) : base("face_prior")
    {
        var nets = NetsIn(visualSet);
        columns = nets.Select(n => n.Index.Select(i => (long)i).ToArray()).ToArray();
        maps = nets.Select(n => OneHot(n.Map)).ToArray();
        // face-api first (the stronger net) at full weight; a second net starts silent and earns its weight.
        weight = nn.Parameter(torch.tensor(nets.Select((_, k) => k == 0 ? 1f : 0f).ToArray()));
        var offsets = new float[ExpressionClasses.Count];
        offsets[ExpressionClasses.Count - 1] = -4f; // no face net knows Other: it starts unlikely on face frames
        bias = nn.Parameter(torch.tensor(offsets));
        RegisterComponents();
    }

    /// <summary>The nets whose probabilities <paramref name="visualSet"/> holds, face-api first.</summary>
    public static IReadOnlyList<(FaceNetClassMap Map, int[] Index)> NetsIn(FeatureSetId? visualSet)
    {
        var groups = visualSet is null ? null : VisualFeatureLayout.Parse(visualSet.Name);
        var names = groups is { } g ? VisualFeatureLayout.Columns(g) : [];
        var nets = FaceNetClassMap.All.Select(m => (Map: m, Index: m.IndicesIn(names))).Where(n => n.Index is not null).ToList();
        if (nets.Count == 0)
            throw OptionCheck.Fail("ModelOptions.FacePrior", $"needs the face nets' probabilities in the visual features (faceapi or minixception); " +
                $"the model's visual set is {visualSet?.ToString() ?? "unnamed"}");
        return nets.Select(n => (n.Map, n.Index!)).ToList();
    }

    /// <summary>Number of face nets the prior reads.</summary>
    public int Nets => columns.Length;

    /// <summary>v [B,T,Dv] (raw features), mv [B,T] bool → prior logits [B,T,8], zero where mv is false.</summary>
    public override Tensor forward(Tensor visual, Tensor visualMask)
    {
        Tensor prior = bias.to(visual.dtype);
        for (int n = 0; n < columns.Length; n++)
            prior = prior + Evidence(visual, n) * weight[n];
        // Filled, not multiplied: an absent face's row may hold anything, NaN included, and NaN × 0 is NaN.
        return prior.masked_fill(visualMask.logical_not().unsqueeze(-1), ScalarCache.Of(0.0));
    }

    /// <summary>Net <paramref name="net"/>'s log-probabilities mapped onto the eight classes: [.., 8] for rows [.., Dv].</summary>
    public Tensor Evidence(Tensor visual, int net)
    {
        using var index = torch.tensor(columns[net], device: visual.device);
        using var map = torch.tensor(maps[net], [columns[net].Length, ExpressionClasses.Count], dtype: visual.dtype, device: visual.device);
        return visual.index_select(-1, index).clamp_min(ScalarCache.Of(Floor)).log().matmul(map);
    }

    /// <summary>Sets the nets' weights and the offsets and holds them there (no gradient): the prior then stays what
    /// it was set to, and only the residual over it is learned.</summary>
    public void Fix(float[] weights, float[] offsets)
    {
        using (torch.no_grad())
        {
            weight.copy_(torch.tensor(weights));
            bias.copy_(torch.tensor(offsets));
        }
        Hold();
    }

    /// <summary>The nets' weights and the per-class offsets as they stand.</summary>
    public (float[] Weights, float[] Offsets) Values() => (weight.data<float>().ToArray(), bias.data<float>().ToArray());

    /// <summary>Stops the weights and offsets from learning (a resumed run whose prior was fixed).</summary>
    public void Hold()
    {
        weight.requires_grad = false;
        bias.requires_grad = false;
    }

    private static float[] OneHot(FaceNetClassMap map)
    {
        var m = new float[map.Classes.Count * ExpressionClasses.Count];
        for (int k = 0; k < map.Classes.Count; k++)
            m[k * ExpressionClasses.Count + map.Classes[k]] = 1;
        return m;
    }
}
