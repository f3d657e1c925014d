using System.Buffers.Binary;

namespace AffectFuse.Audio;

/// <summary>Reads RIFF/WAVE files (integer PCM 8/16/24/32-bit or 32-bit float, any channel count, mixed down to mono).
/// Written by hand because no referenced package reads WAV; EmoDB is plain 16-bit PCM.</summary>
internal static class WavFile
{
    /// <summary>Sample rate and length of a WAV file, from its header.</summary>
    public readonly record struct Info(int SampleRate, int Channels, int BitsPerSample, bool IsFloat, long DataOffset, long Frames)
    {
        /// <summary>Duration in seconds.</summary>
        public double Seconds => (double)Frames / SampleRate;
    }

    /// <summary>Reads the header only.</summary>
    public static Info ReadInfo(string path)
    {
        using var stream = Open(path);
        return ParseHeader(path, stream);
    }

    /// <summary>Reads the samples as mono floats in [-1, 1] with their sample rate.</summary>
    public static (float[] Samples, int SampleRate) Read(string path)
    {
        using var stream = Open(path);
        var info = ParseHeader(path, stream);
        int bytesPerSample = info.BitsPerSample / 8;
        long byteCount = info.Frames * info.Channels * bytesPerSample;
        if (byteCount > int.MaxValue)
            throw new AffectFuseException(path, "WAV file too large");
        var bytes = new byte[byteCount];
        stream.Position = info.DataOffset;
        stream.ReadExactly(bytes);

        var samples = new float[info.Frames];
        for (long i = 0; i < info.Frames; i++)
        {
            double sum = 0;
            for (int ch = 0; ch < info.Channels; ch++)
                sum += Sample(bytes.AsSpan((int)((i * info.Channels + ch) * bytesPerSample), bytesPerSample), info);
            samples[i] = (float)(sum / info.Channels);
        }
        return (samples, info.SampleRate);
    }

    private static double Sample(ReadOnlySpan<byte> b, Info info) => (info.BitsPerSample, info.IsFloat) switch
    {
        (32, true) => BinaryPrimitives.ReadSingleLittleEndian(b),
        (8, false) => (b[0] - 128) / 128.0,
        (16, false) => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768.0,
        (24, false) => ((b[2] << 24 | b[1] << 16 | b[0] << 8) >> 8) / 8388608.0,
        _ => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648.0,
    };

    private static FileStream Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read); }
        catch (FileNotFoundException) { throw new AffectFuseException(path, "WAV file not found"); }
        catch (IOException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
    }

    private static Info ParseHeader(string path, Stream s)
    {
        Span<byte> head = stackalloc byte[12];
        if (s.ReadAtLeast(head, 12, throwOnEndOfStream: false) < 12 || !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
            throw new AffectFuseException(path, "not a RIFF/WAVE file");
        int format = -1, channels = 0, rate = 0, bits = 0;
        Span<byte> chunk = stackalloc byte[8];
        while (s.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) == 8)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            long next = s.Position + size + (size & 1);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16) throw new AffectFuseException(path, "WAV fmt chunk is too short");
                var fmt = new byte[size];
                s.ReadExactly(fmt);
                format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(fmt.AsSpan(4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
                if (format == 0xFFFE && size >= 26) // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's first two bytes
                    format = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(24));
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                if (format < 0) throw new AffectFuseException(path, "WAV data chunk comes before its fmt chunk");
                bool isFloat = format == 3;
                if (!(format == 1 && bits is 8 or 16 or 24 or 32) && !(isFloat && bits == 32))
                    throw new AffectFuseException(path, $"unsupported WAV encoding (format {format}, {bits} bits); expected PCM or 32-bit float");
                if (channels < 1 || rate < 1)
                    throw new AffectFuseException(path, $"bad WAV header ({channels} channels, {rate} Hz)");
                long available = Math.Max(0, Math.Min(size, s.Length - s.Position));
                return new Info(rate, channels, bits, isFloat, s.Position, available / (channels * (bits / 8)));
            }
            s.Position = next;
        }
        throw new AffectFuseException(path, "WAV file has no data chunk");
    }
}
