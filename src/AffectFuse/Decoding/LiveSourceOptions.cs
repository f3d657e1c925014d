namespace AffectFuse.Decoding;

/// <summary>What <see cref="LiveSource"/> reads and how.</summary>
public sealed record LiveSourceOptions
{
    /// <summary>A V4L2 device (<c>/dev/video0</c>), a URL FFmpeg can open (<c>udp://</c>, <c>rtp://</c> or an SDP file,
    /// <c>rtsp://</c>, <c>http(s)://</c>, <c>srt://</c>), or a file.</summary>
    public required string Source { get; init; }

    /// <summary>Play a file at its own rate, as if it were live (FFmpeg's <c>-re</c>): for tests and demos.</summary>
    public bool Realtime { get; init; }

    /// <summary>Frames are scaled so their longer side is at most this (the face detector works on 256 px). Default 640.</summary>
    public int MaxSize { get; init; } = 640;

    /// <summary>Frame rate the stream is resampled to; null = the source's (constant either way, so frame i is at i / rate).</summary>
    public double? Fps { get; init; }

    /// <summary>Seconds without a frame before the source counts as stalled (5 s more for a connection's first frame: a
    /// reader joining a stream mid-way waits for its next key frame). Default 10.</summary>
    public double StallSeconds { get; init; } = 10;

    /// <summary>Reconnect a network source that ends, fails or stalls, with back-off (1, 2, 4 … up to 30 s).</summary>
    public bool Reconnect { get; init; }

    /// <summary>Seconds of frames waiting to be processed before the oldest is dropped: the bound on how far processing may
    /// fall behind the source. It must cover the look-ahead's wait for the sound after a frame (at most about 0.8 s, see
    /// <c>AudioFeatureStream.FullHorizonSeconds</c>), which is not falling behind. A file not played in real time drops
    /// nothing: its reading waits for room instead. Default 3.</summary>
    public double QueueSeconds { get; init; } = 3;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Source))
            throw new AffectFuseException("SOURCE", "name a device, a stream URL or a file");
        OptionCheck.Range("LiveSourceOptions.MaxSize", MaxSize, 64, 1 << 16);
        if (Fps is { } fps)
            OptionCheck.Range("LiveSourceOptions.Fps", fps, 1, 240);
        OptionCheck.Range("LiveSourceOptions.StallSeconds", StallSeconds, 0.5, 3600);
        OptionCheck.Range("LiveSourceOptions.QueueSeconds", QueueSeconds, 0.04, 600);
    }

    /// <summary>True for sources that can come back after failing (network streams and devices), which
    /// <see cref="Reconnect"/> applies to; a file ends.</summary>
    public bool IsNetwork => Source.Contains("://", StringComparison.Ordinal) && !Source.StartsWith("file://", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a V4L2 capture device.</summary>
    public bool IsDevice => Source.StartsWith("/dev/video", StringComparison.Ordinal);
}
