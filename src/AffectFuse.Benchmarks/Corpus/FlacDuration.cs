namespace AffectFuse.Benchmarks.Corpus;

/// <summary>A FLAC file's length from its STREAMINFO block (the first metadata block the format requires), without
/// decoding it. Hand-written: nine bytes of a fixed layout, where starting a decoder per file would cost more than
/// copying it.</summary>
public static class FlacDuration
{
    /// <summary>Seconds of audio in <paramref name="path"/>; a file that is not FLAC is an <see cref="AffectFuseException"/>.</summary>
    public static double Seconds(string path)
    {
        var header = new byte[26];
        using (var stream = File.OpenRead(path))
            stream.ReadExactly(header);
        if (header[0] != 'f' || header[1] != 'L' || header[2] != 'a' || header[3] != 'C' || (header[4] & 0x7F) != 0)
            throw new AffectFuseException(path, "not a FLAC file (no fLaC marker followed by STREAMINFO)");
        // STREAMINFO from byte 8: block sizes (4 bytes), frame sizes (6), then 20 bits of sample rate, 3 of channels,
        // 5 of bits per sample and 36 of total samples.
        int rate = (header[18] << 12) | (header[19] << 4) | (header[20] >> 4);
        long samples = ((long)(header[21] & 0x0F) << 32) | ((long)header[22] << 24) | ((long)header[23] << 16) | ((long)header[24] << 8) | header[25];
        if (rate <= 0 || samples <= 0)
            throw new AffectFuseException(path, "FLAC STREAMINFO gives no sample rate or length");
        return (double)samples / rate;
    }
}
