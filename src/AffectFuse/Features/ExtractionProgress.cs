namespace AffectFuse.Features;

/// <summary>Progress of one video's extraction.</summary>
/// <param name="Path">The video.</param>
/// <param name="FramesDone">Frames whose visual and audio rows are both finished.</param>
/// <param name="FramesExpected">Frame count announced by the container (an estimate), or null.</param>
/// <param name="FramesPerSecond">Finished frames per wall-clock second so far.</param>
/// <param name="Elapsed">Wall-clock time since the video was opened.</param>
public sealed record ExtractionProgress(string Path, int FramesDone, int? FramesExpected, double FramesPerSecond, TimeSpan Elapsed);
