using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using AffectFuse.IO;

namespace AffectFuse.Data;

/// <summary>Reads and writes numpy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; C order; little-endian).</summary>
/// <remarks>Written by hand: no .NET package in reach reads or writes <c>.npy</c>. The format is
/// numpy's <c>numpy/lib/format.py</c>: magic <c>\x93NUMPY</c>, version bytes, header length (uint16 in 1.0,
/// uint32 in 2.0/3.0), a Python dict literal header (latin-1, UTF-8 in 3.0) padded to a multiple of 64, then the raw data.</remarks>
internal static class NpyFormat
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;

    private static readonly Regex DescrRegex = new(@"['""]descr['""]\s*:\s*(?:'([^']*)'|""([^""]*)"")", RegexOptions.CultureInvariant);
    private static readonly Regex DescrAnyRegex = new(@"['""]descr['""]\s*:\s*(\[.*?\]|\S+)", RegexOptions.CultureInvariant);
    private static readonly Regex FortranRegex = new(@"['""]fortran_order['""]\s*:\s*(True|False)", RegexOptions.CultureInvariant);
    private static readonly Regex ShapeRegex = new(@"['""]shape['""]\s*:\s*\(([^)]*)\)", RegexOptions.CultureInvariant);

    private static readonly UTF32Encoding Utf32 = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);

    static NpyFormat()
    {
        // Every platform .NET runs on today is little-endian; the raw copies below rely on it.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("NpyFormat needs a little-endian machine");
    }

    /// <summary>Reads a <c>.npy</c> file; a bad or unsupported file is an <see cref="AffectFuseException"/> naming it.</summary>
    public static NpyArray Read(string path)
    {
        IO.InputFile.RequireContent(path, ".npy file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(stream, path);
        }
        catch (FileNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new AffectFuseException(path, "file not found"); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
    }

    /// <summary>Reads one array from <paramref name="stream"/>; errors name <paramref name="file"/> (and <paramref name="member"/> inside an archive).</summary>
    public static NpyArray Read(Stream stream, string file, string? member = null)
    {
        string where = member is null ? "" : $"array '{member}': ";
        AffectFuseException Bad(string problem) => new(file, where + problem);

        Span<byte> prefix = stackalloc byte[8];
        if (ReadFully(stream, prefix) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw Bad("not a numpy .npy file (missing the \\x93NUMPY signature)");
        byte major = prefix[6], minor = prefix[7];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            if (ReadFully(stream, len) < 2) throw Bad("truncated .npy header");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            if (ReadFully(stream, len) < 4) throw Bad("truncated .npy header");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(len);
            if (l > 1 << 24) throw Bad($"implausible .npy header length {l}");
            headerLength = (int)l;
        }
        else
        {
            throw Bad($"unsupported .npy format version {major}.{minor} (supported: 1.0, 2.0, 3.0)");
        }

        byte[] headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength) throw Bad("truncated .npy header");
        string header = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);

        var descrMatch = DescrRegex.Match(header);
        if (!descrMatch.Success)
        {
            var any = DescrAnyRegex.Match(header);
            throw any.Success
                ? Bad($"unsupported dtype {any.Groups[1].Value.TrimEnd(',')} (structured arrays are not supported)")
                : Bad($"malformed .npy header (no 'descr'): {header.Trim()}");
        }
        string descr = descrMatch.Groups[1].Success ? descrMatch.Groups[1].Value : descrMatch.Groups[2].Value;

        var fortranMatch = FortranRegex.Match(header);
        if (!fortranMatch.Success) throw Bad($"malformed .npy header (no 'fortran_order'): {header.Trim()}");
        var shapeMatch = ShapeRegex.Match(header);
        if (!shapeMatch.Success) throw Bad($"malformed .npy header (no 'shape'): {header.Trim()}");
        int[] shape = ParseShape(shapeMatch.Groups[1].Value) ?? throw Bad($"malformed shape ({shapeMatch.Groups[1].Value}) in .npy header");

        (NpyDType dtype, int itemSize) = ParseDescr(descr) ?? throw Bad(DescribeUnsupported(descr));
        // A Fortran-order array of rank 0 or 1 has the same layout as C order; numpy itself writes those as C order.
        if (fortranMatch.Groups[1].Value == "True" && shape.Length > 1)
            throw Bad($"Fortran-order array (dtype '{descr}') is not supported; save it in C order (numpy.ascontiguousarray)");

        // Checked against overflow: a hostile header can claim dimensions whose product wraps around.
        long count = 1;
        foreach (int d in shape)
        {
            if (d > 0 && count > Array.MaxLength / d)
                throw Bad($"array of shape ({string.Join(", ", shape)}) is too large to read");
            count *= d;
        }
        long byteCount = count * itemSize;
        if (byteCount > Array.MaxLength)
            throw Bad($"array of shape ({string.Join(", ", shape)}) and dtype '{descr}' is too large ({byteCount} bytes)");

        // Catch a header that promises more data than the file holds before allocating for it.
        if (stream.CanSeek && stream.Length - stream.Position < byteCount)
            throw Bad($"data is truncated: expected {byteCount} bytes, found {Math.Max(0, stream.Length - stream.Position)}");

        Array data = dtype switch
        {
            NpyDType.Float32 => ReadRaw<float>(stream, (int)count, Bad),
            NpyDType.Float16 => ReadRaw<Half>(stream, (int)count, Bad),
            NpyDType.Float64 => ReadRaw<double>(stream, (int)count, Bad),
            NpyDType.Int64 => ReadRaw<long>(stream, (int)count, Bad),
            NpyDType.Int32 => ReadRaw<int>(stream, (int)count, Bad),
            NpyDType.UInt8 => ReadRaw<byte>(stream, (int)count, Bad),
            NpyDType.Bool => Array.ConvertAll(ReadRaw<byte>(stream, (int)count, Bad), b => b != 0),
            NpyDType.Unicode => ReadUnicode(stream, (int)count, itemSize / 4, Bad),
            _ => throw new InvalidOperationException(),
        };
        return new NpyArray(dtype, shape, data);
    }

    /// <summary>Writes a <c>.npy</c> file atomically.</summary>
    public static void Write(string path, NpyArray array) => AtomicFile.Write(path, s => Write(s, array));

    /// <summary>Writes one array to <paramref name="stream"/> in format 1.0 (2.0 only if the header needs it).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        int itemSize = ItemSize(array);
        string descr = Descr(array.DType, itemSize);
        string shape = array.Rank switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => $"({string.Join(", ", array.Shape)})",
        };
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int major = dict.Length + 1 + 10 <= ushort.MaxValue ? 1 : 2;
        int prefixLength = major == 1 ? 10 : 12;
        // numpy pads with spaces and ends with '\n' so the data starts on a 64-byte boundary.
        int total = prefixLength + dict.Length + 1;
        int padded = (total + Alignment - 1) / Alignment * Alignment;
        string header = dict + new string(' ', padded - total) + "\n";

        var head = new byte[prefixLength];
        Magic.CopyTo(head, 0);
        head[6] = (byte)major;
        head[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(8), (uint)header.Length);
        stream.Write(head);
        stream.Write(Encoding.Latin1.GetBytes(header));

        switch (array.Data)
        {
            case float[] f: stream.Write(MemoryMarshal.AsBytes(f.AsSpan())); break;
            case Half[] h: stream.Write(MemoryMarshal.AsBytes(h.AsSpan())); break;
            case double[] d: stream.Write(MemoryMarshal.AsBytes(d.AsSpan())); break;
            case long[] l: stream.Write(MemoryMarshal.AsBytes(l.AsSpan())); break;
            case int[] i: stream.Write(MemoryMarshal.AsBytes(i.AsSpan())); break;
            case byte[] u: stream.Write(u); break;
            case bool[] b: stream.Write(Array.ConvertAll(b, x => x ? (byte)1 : (byte)0)); break;
            case string[] s: WriteUnicode(stream, s, itemSize / 4); break;
            default: throw new InvalidOperationException();
        }
    }

    private static int ItemSize(NpyArray array) => array.DType switch
    {
        NpyDType.Float32 or NpyDType.Int32 => 4,
        NpyDType.Float16 => 2,
        NpyDType.Float64 or NpyDType.Int64 => 8,
        NpyDType.Bool or NpyDType.UInt8 => 1,
        // numpy sizes a unicode array to its longest element in code points, at least 1.
        NpyDType.Unicode => 4 * Math.Max(1, ((string[])array.Data).Select(CodePoints).DefaultIfEmpty(0).Max()),
        _ => throw new InvalidOperationException(),
    };

    private static string Descr(NpyDType dtype, int itemSize) => dtype switch
    {
        NpyDType.Float32 => "<f4",
        NpyDType.Float16 => "<f2",
        NpyDType.Float64 => "<f8",
        NpyDType.Bool => "|b1",
        NpyDType.Int64 => "<i8",
        NpyDType.Int32 => "<i4",
        NpyDType.UInt8 => "|u1",
        NpyDType.Unicode => $"<U{itemSize / 4}",
        _ => throw new InvalidOperationException(),
    };

    private static (NpyDType, int)? ParseDescr(string descr)
    {
        if (descr.Length < 3) return null;
        char order = descr[0];
        string kind = descr[1..];
        if (order is not ('<' or '|' or '=' or '>')) return null;
        (NpyDType, int)? parsed = kind switch
        {
            "f4" => (NpyDType.Float32, 4),
            "f2" => (NpyDType.Float16, 2),
            "f8" => (NpyDType.Float64, 8),
            "b1" => (NpyDType.Bool, 1),
            "i8" => (NpyDType.Int64, 8),
            "i4" => (NpyDType.Int32, 4),
            "u1" => (NpyDType.UInt8, 1),
            _ when kind[0] == 'U' && int.TryParse(kind.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 0
                => (NpyDType.Unicode, 4 * n),
            _ => null,
        };
        // Byte order does not matter for one-byte items; for wider ones only little-endian is read.
        if (parsed is { } p && order == '>' && p.Item1 is not (NpyDType.Bool or NpyDType.UInt8)) return null;
        return parsed;
    }

    private static string DescribeUnsupported(string descr)
    {
        const string supported = "<f4, <f2, <f8, |b1, <i8, <i4, |u1, <U";
        if (descr.StartsWith('>'))
            return $"big-endian dtype '{descr}' is not supported; convert it with array.astype('<{descr[1..]}')";
        return $"unsupported dtype '{descr}' (supported: {supported})";
    }

    private static int[]? ParseShape(string text)
    {
        var dims = new List<int>();
        foreach (string part in text.Split(','))
        {
            string p = part.Trim().TrimEnd('L'); // Python 2 wrote long integers as 3L
            if (p.Length == 0) continue;
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int d)) return null;
            dims.Add(d);
        }
        return dims.ToArray();
    }

    private static T[] ReadRaw<T>(Stream stream, int count, Func<string, AffectFuseException> bad) where T : unmanaged
    {
        var data = new T[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan());
        int got = ReadFully(stream, bytes);
        if (got < bytes.Length)
            throw bad($"data is truncated: expected {bytes.Length} bytes, found {got}");
        return data;
    }

    private static string[] ReadUnicode(Stream stream, int count, int width, Func<string, AffectFuseException> bad)
    {
        byte[] raw = ReadRaw<byte>(stream, checked(count * width * 4), bad);
        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            var item = raw.AsSpan(i * width * 4, width * 4);
            // numpy pads shorter strings with NUL code points.
            int used = width;
            while (used > 0 && BinaryPrimitives.ReadUInt32LittleEndian(item[((used - 1) * 4)..]) == 0) used--;
            try { result[i] = Utf32.GetString(item[..(used * 4)]); }
            catch (DecoderFallbackException) { throw bad($"string element {i} is not valid UTF-32"); }
        }
        return result;
    }

    private static void WriteUnicode(Stream stream, string[] items, int width)
    {
        var buffer = new byte[width * 4];
        foreach (string s in items)
        {
            Array.Clear(buffer);
            Utf32.GetBytes(s, buffer);
            stream.Write(buffer);
        }
    }

    private static int CodePoints(string s) => Utf32.GetByteCount(s) / 4;

    private static int ReadFully(Stream stream, Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
}
