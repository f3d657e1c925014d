namespace AffectFuse.Decoding;

/// <summary>How <see cref="VideoDecoder"/> decodes: optional downscaling and decoder threads.</summary>
internal sealed record DecodeOptions
{
    /// <summary>When set, frames whose longer side exceeds this many pixels are shrunk (aspect kept) to it.
    /// Face detection works on 256×256 and crops are 64×64, so 640 loses nothing and saves time on HD video.</summary>
    public int? MaxSize { get; init; }

    /// <summary>FFmpeg decoder threads; 0 lets OpenCV choose (one per core).</summary>
    public int DecoderThreads { get; init; }

    /// <summary>Most decoded frames alive at once that the decoder keeps for reuse (a frame returns to the
    /// pool when disposed). Frames beyond this are allocated and freed normally.</summary>
    public int PoolSize { get; init; } = 16;

    /// <summary>Checks every value; a bad one is an <see cref="AffectFuseException"/> naming the option and its range.</summary>
    public void Validate()
    {
        if (MaxSize is { } size)
            OptionCheck.Range("DecodeOptions.MaxSize", size, 16, 1 << 16);
        OptionCheck.Range("DecodeOptions.DecoderThreads", DecoderThreads, 0, 256);
        OptionCheck.Range("DecodeOptions.PoolSize", PoolSize, 0, 4096);
    }
}
