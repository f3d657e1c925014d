namespace AffectFuse.Audio;

/// <summary>Audio features of a whole video: row-major [T, Dim] values and the audio mask [T].</summary>
internal sealed record AudioFeatureMatrix(float[] Values, bool[] Mask, int Dim)
{
    /// <summary>Number of video frames T.</summary>
    public int FrameCount => Mask.Length;

    /// <summary>Row <paramref name="frame"/>.</summary>
    public ReadOnlySpan<float> Row(int frame) => Values.AsSpan(frame * Dim, Dim);
}
