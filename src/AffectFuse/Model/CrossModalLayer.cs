using TorchSharp;
using static TorchSharp.torch;

namespace AffectFuse.Model;

/// <summary>Bidirectional cross-modal layer: visual attends to audio and audio to visual, both from the layer's inputs.</summary>
internal sealed class CrossModalLayer : nn.Module<Tensor, KeyPaddingMask?, Tensor, KeyPaddingMask?, (Tensor Visual, Tensor Audio)>
{
    private readonly CrossAttentionBlock visual_from_audio;
    private readonly CrossAttentionBlock audio_from_visual;

    /// <summary>Creates the layer from the model options.</summary>
    public CrossModalLayer(ModelOptions options) : base("cross_modal_layer")
    {
        visual_from_audio = new CrossAttentionBlock(options);
        audio_from_visual = new CrossAttentionBlock(options);
        RegisterComponents();
    }

    /// <summary>v, a [B,T,d] with their presence masks → updated (v, a).</summary>
    public override (Tensor Visual, Tensor Audio) forward(Tensor visual, KeyPaddingMask? visualMask, Tensor audio, KeyPaddingMask? audioMask)
        => (visual_from_audio.forward(visual, audio, audioMask), audio_from_visual.forward(audio, visual, visualMask));
}
