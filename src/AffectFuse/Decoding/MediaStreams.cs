namespace AffectFuse.Decoding;

/// <summary>What ffprobe finds in a media file (<see cref="AudioDecoder.Probe"/>): whether it holds a picture to decode
/// and a sound to hear. This, never the file's name, decides how it is read: an .ogg may hold video, an .mp4 only sound.</summary>
/// <param name="Path">The file, as it was named.</param>
/// <param name="HasVideo">A video stream that is not cover art: an attached picture (what mp3 and m4a files carry) is one
/// still image, not video.</param>
/// <param name="HasAudio">At least one audio stream.</param>
/// <param name="Duration">The container's duration in seconds, or null when it does not say. For compressed sound it may
/// count the encoder's padding, which the decoder drops.</param>
internal sealed record MediaStreams(string Path, bool HasVideo, bool HasAudio, double? Duration);
