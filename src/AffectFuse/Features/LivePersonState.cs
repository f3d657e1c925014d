using AffectFuse.Faces;
using AffectFuse.Features.Visual;

namespace AffectFuse.Features;

/// <summary>What the live path keeps of one person between frames: their face run, last row and landmark history (as a
/// file's <see cref="PersonRows"/>), and their mouth patch.</summary>
internal sealed class LivePersonState(int visualDim) : IDisposable
{
    public int FaceRun { get; set; }
    public int LastSeen { get; set; } = int.MinValue;
    public float[] Last { get; } = new float[visualDim];
    public LandmarkHistory History { get; } = new();
    public MouthMotion Mouth { get; } = new();

    public void Dispose() => Mouth.Dispose();
}
