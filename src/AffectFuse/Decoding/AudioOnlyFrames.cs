namespace AffectFuse.Decoding;

/// <summary>The frames AffectFuse labels in a file without a video stream (a voice recording): the rule, in one place.</summary>
/// <remarks>
/// 25 frames/s, the rate of most of Aff-Wild2 and of the benchmark videos, so models trained on video see rows at the
/// spacing they were trained on. Frame <c>i</c> lies at <c>i / 25</c> s, and a file has every frame whose time lies
/// within its sound's duration D: <c>ceil(D × 25)</c> frames. D is the container's duration, cut to the decoded sound's
/// length where that is shorter or the container does not say: compressed sound decodes to a little more or less than
/// its container declares (an m4a's last AAC frame is padded, an mp3's container duration counts the encoder's delay and
/// padding that the decoder drops), and neither padding nor a missing end holds a frame.
/// </remarks>
internal static class AudioOnlyFrames
{
    /// <summary>Frames per second.</summary>
    public const int FramesPerSecond = 25;

    /// <summary>The rule in words, for help texts and messages.</summary>
    public static string Rule =>
        $"{FramesPerSecond} frames/s, frame i at i/{FramesPerSecond} s, every frame whose time lies within the sound's duration " +
        $"(ceil(duration × {FramesPerSecond}) frames)";

    /// <summary>Time of frame <paramref name="frame"/> in seconds.</summary>
    public static double Time(int frame) => frame / (double)FramesPerSecond;

    /// <summary>How many frames a sound of <paramref name="seconds"/> has: those whose time is below it.</summary>
    /// <remarks>Rounded to a millionth of a frame first, so a duration that is a whole number of frames in decimal
    /// (2.04 s) but not in binary gets no extra frame.</remarks>
    public static int Count(double seconds) => seconds > 0 ? (int)Math.Ceiling(Math.Round(seconds * FramesPerSecond, 6)) : 0;

    /// <summary>The frame count of a sound whose container declares <paramref name="declaredSeconds"/> (null: unknown) and
    /// that decoded to <paramref name="decodedSeconds"/>.</summary>
    public static int Count(double? declaredSeconds, double decodedSeconds) =>
        Count(declaredSeconds is { } declared ? Math.Min(declared, decodedSeconds) : decodedSeconds);
}
