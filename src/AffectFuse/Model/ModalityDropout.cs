using TorchSharp;
using static TorchSharp.torch;
using AffectFuse.Torch;

namespace AffectFuse.Model;

/// <summary>Training-only modality dropout on the presence masks: drops whole streams (never both) and occlusion spans.</summary>
/// <remarks>One uniform draw u per sample decides the stream drop: u &lt; p_v drops the face, p_v ≤ u &lt; p_v + p_a drops the voice,
/// so the two are exclusive and each happens with exactly its probability. A stream is not dropped when the other stream is
/// already absent throughout the window (that would leave the sample with nothing).</remarks>
internal sealed class ModalityDropout : nn.Module<Tensor, Tensor, (Tensor Visual, Tensor Audio)>
{
    private readonly ModalityDropoutOptions options;
    private readonly Generator? generator;

    /// <summary>Creates the module; <paramref name="generator"/> makes the drops reproducible.</summary>
    public ModalityDropout(ModalityDropoutOptions options, Generator? generator = null) : base("modality_dropout")
    {
        var p = (v: options.VisualProbability, a: options.AudioProbability, o: options.OcclusionProbability, f: options.OcclusionMaxFraction);
        if (p.v is < 0 or > 1 || p.a is < 0 or > 1 || p.v + p.a > 1)
            throw new ArgumentException($"modality dropout probabilities must be in [0,1] with p_v + p_a ≤ 1 (got {p.v}, {p.a})");
        if (p.o is < 0 or > 1 || p.f is < 0 or > 1)
            throw new ArgumentException($"occlusion probability and max fraction must be in [0,1] (got {p.o}, {p.f})");
        this.options = options;
        this.generator = generator;
        RegisterComponents();
    }

    /// <summary>mv [B,T] bool, ma [B,T] bool → masks with drops applied (unchanged in eval mode).</summary>
    public override (Tensor Visual, Tensor Audio) forward(Tensor visualMask, Tensor audioMask)
    {
        if (!training)
            return (visualMask, audioMask);
        long b = visualMask.shape[0], t = visualMask.shape[1];
        var device = visualMask.device;
        var u = torch.rand([b], dtype: ScalarType.Float64, device: device, generator: generator);
        var dropVisual = u.lt(ScalarCache.Of(options.VisualProbability)).logical_and(audioMask.any(1));
        var dropAudio = u.ge(ScalarCache.Of(options.VisualProbability)).logical_and(u.lt(ScalarCache.Of(options.VisualProbability + options.AudioProbability)))
            .logical_and(visualMask.any(1));

        var visual = visualMask.logical_and(dropVisual.logical_not().unsqueeze(1));
        var audio = audioMask.logical_and(dropAudio.logical_not().unsqueeze(1));

        long maxSpan = (long)Math.Floor(options.OcclusionMaxFraction * t);
        if (options.OcclusionProbability > 0 && maxSpan >= 1)
        {
            var draws = torch.rand([b, 3], dtype: ScalarType.Float64, device: device, generator: generator);
            var occlude = draws[.., 0].lt(ScalarCache.Of(options.OcclusionProbability));
            var length = draws[.., 1].mul(ScalarCache.Of(maxSpan)).floor_().clamp_max_(ScalarCache.Of(maxSpan - 1)).add_(ScalarCache.Of(1.0), ScalarCache.One);           // 1..maxSpan
            var start = draws[.., 2].mul(length.neg().add_(ScalarCache.Of(t + 1), ScalarCache.One)).floor_();                                  // 0..t-length
            var position = torch.arange(ScalarCache.OfInteger(t), dtype: ScalarType.Float64, device: device).unsqueeze(0);
            var span = (position >= start.unsqueeze(1)).logical_and(position < start.add(length, ScalarCache.One).unsqueeze(1))
                .logical_and(occlude.unsqueeze(1));
            visual = visual.logical_and(span.logical_not());
        }
        return (visual, audio);
    }
}
