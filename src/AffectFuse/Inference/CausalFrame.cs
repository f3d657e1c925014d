namespace AffectFuse.Inference;

/// <summary>A frame whose live probabilities are final (see <see cref="CausalPredictor"/>).</summary>
/// <param name="Frame">Zero-based frame index in the stream.</param>
/// <param name="Probabilities">The 8 class probabilities, after voting and smoothing.</param>
internal sealed record CausalFrame(int Frame, float[] Probabilities);
