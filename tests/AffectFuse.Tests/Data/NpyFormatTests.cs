using System.Buffers.Binary;
using System.Text;
using AffectFuse.Data;
using Xunit;

namespace AffectFuse.Tests.Data;

public class NpyFormatTests
{
    // object, not NpyArray: a theory's signature is public, and NpyArray is internal to the library.
    public static TheoryData<object> EveryDType => new()
    {
        NpyArray.Of(new[] { 0f, -0f, 1.5f, -3.25e-30f, float.MaxValue, float.Epsilon, float.PositiveInfinity }, 7),
        NpyArray.Of(new[] { (Half)0.5f, Half.Epsilon, Half.MaxValue, (Half)(-2.75f), (Half)65504f, (Half)1e-5f }, 2, 3),
        NpyArray.Of(new[] { Math.PI, -1e300, double.Epsilon, 0.1, 2.0 / 3 }, 5),
        NpyArray.Of(new[] { true, false, false, true }, 2, 2),
        NpyArray.Of(new[] { long.MinValue, -1L, 0L, long.MaxValue }, 4),
        NpyArray.Of(new[] { int.MinValue, -7, 0, 9, int.MaxValue, 1 }, 1, 2, 3),
        NpyArray.Of(new byte[] { 0, 1, 127, 128, 255 }, 5),
        NpyArray.Scalar("{\"fps\": 30, \"name\": \"Émotion 😀\"}"),
        NpyArray.Scalar(""),
        NpyArray.Of(Array.Empty<float>(), 0, 4),
        NpyArray.Of(new[] { 42.0 }),
    };

    [Theory]
    [MemberData(nameof(EveryDType))]
    public void RoundTripKeepsDTypeShapeAndValues(object value)
    {
        var array = (NpyArray)value;
        var stream = new MemoryStream();
        NpyFormat.Write(stream, array);
        stream.Position = 0;
        var back = NpyFormat.Read(stream, "mem.npy");
        Assert.Equal(array.DType, back.DType);
        Assert.Equal(array.Shape, back.Shape);
        Assert.Equal(array.Data, back.Data);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void HeaderIsNumpyStyleAndDataIs64ByteAligned()
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, NpyArray.Of(new float[6], 2, 3));
        byte[] bytes = stream.ToArray();
        Assert.Equal(1, bytes[6]);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        string header = Encoding.Latin1.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 24, bytes.Length);
    }

    [Fact]
    public void UnicodeWidthCountsCodePointsNotUtf16Units()
    {
        var stream = new MemoryStream();
        NpyFormat.Write(stream, NpyArray.Scalar("a😀"));
        string header = Encoding.Latin1.GetString(stream.ToArray());
        Assert.Contains("'descr': '<U2'", header);
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24, "Fortran", "'<f4'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (6,), }", 24, "big-endian", "'>f4'")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", 24, "unsupported dtype", "'<c8'")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", 24, "unsupported dtype", "'|O'")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3,), }", 12, "structured", "('a', '<f4')")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 31, "truncated", "32 bytes")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 1000), }", 8, "truncated", "expected 800000000 bytes, found 8")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000), }", 8, "too large", "(1000000, 1000)")]
    // Dimensions whose product wraps around a 64-bit count (2^32 × 2^32 = 0 after overflow) must not read as empty.
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 2147483647, 4), }", 8, "too large", "(2147483647, 2147483647, 4)")]
    [InlineData("{'descr': '|u1', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }", 8, "too large", "65536")]
    public void UnsupportedOrBrokenFilesNameTheFileAndTheDType(string header, int dataBytes, string problem, string detail)
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.npy");
        File.WriteAllBytes(path, HandMade(header, dataBytes, major: 1));
        var e = Assert.Throws<AffectFuseException>(() => NpyFormat.Read(path));
        Assert.Equal(path, e.File);
        Assert.Contains(problem, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void FortranOrderOfOneDimensionIsTheSameLayoutAndReads()
    {
        var stream = new MemoryStream(HandMade("{'descr': '<i4', 'fortran_order': True, 'shape': (2,), }", 8, major: 1));
        var a = NpyFormat.Read(stream, "x.npy");
        Assert.Equal(new[] { 0, 0 }, a.Data);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsVersion2And3Headers(int major)
    {
        byte[] bytes = HandMade("{'descr': '<i8', 'fortran_order': False, 'shape': (2L,), }", 16, major);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 16), -5);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(bytes.Length - 8), 77);
        var a = NpyFormat.Read(new MemoryStream(bytes), "x.npy");
        Assert.Equal(new[] { -5L, 77L }, a.Data);
    }

    [Fact]
    public void NotAnNpyFileIsAnError()
    {
        using var dir = new TempFolder();
        string path = dir.File("text.npy");
        File.WriteAllText(path, "visual,audio\n1,2\n");
        var e = Assert.Throws<AffectFuseException>(() => NpyFormat.Read(path));
        Assert.Contains("not a numpy .npy file", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void WriteFileIsAtomicAndReadable()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.npy");
        NpyFormat.Write(path, NpyArray.Of(new[] { 1.0f, 2.0f }, 2));
        Assert.Equal(new[] { 1.0f, 2.0f }, NpyFormat.Read(path).Data);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    /// <summary>An .npy file from a header dict and zeroed data, padded like numpy.</summary>
    internal static byte[] HandMade(string dict, int dataBytes, int major)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.Length + 1;
        string header = dict + new string(' ', (total + 63) / 64 * 64 - total) + "\n";
        var bytes = new byte[prefix + header.Length + dataBytes];
        bytes[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY").CopyTo(bytes, 1);
        bytes[6] = (byte)major;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)header.Length);
        (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(header).CopyTo(bytes, prefix);
        return bytes;
    }
}
