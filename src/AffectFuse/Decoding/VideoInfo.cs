namespace AffectFuse.Decoding;

/// <summary>What a video's container says about its video stream, as the frames will come out of the decoder.</summary>
/// <param name="Path">The file.</param>
/// <param name="Width">Frame width in pixels after rotation and downscaling.</param>
/// <param name="Height">Frame height in pixels after rotation and downscaling.</param>
/// <param name="SourceWidth">Displayed width before downscaling (rotation applied).</param>
/// <param name="SourceHeight">Displayed height before downscaling (rotation applied).</param>
/// <param name="Rotation">Display rotation in degrees stored in the file (0, 90, 180, 270); already applied to frames.</param>
/// <param name="NominalFps">Average frame rate from the container; frame timestamps are authoritative.</param>
/// <param name="FrameCountEstimate">Frame count from the container (an estimate: duration × rate), or null if unknown.</param>
/// <param name="Duration">Duration in seconds estimated from the count and rate, or null if unknown.</param>
internal sealed record VideoInfo(
    string Path,
    int Width,
    int Height,
    int SourceWidth,
    int SourceHeight,
    int Rotation,
    double NominalFps,
    int? FrameCountEstimate,
    double? Duration);
