using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace AffectFuse.Tests.Model;

/// <summary>Minimal .npy/.npz writer and reader for exchanging arrays with the Python reference in tests (float32 and bool only).</summary>
internal static class NpzTestFile
{
    public static void Write(string path, IReadOnlyDictionary<string, (long[] Shape, Array Data)> arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, (shape, data)) in arrays)
        {
            using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression).Open();
            string descr = data switch { float[] => "<f4", bool[] => "|b1", _ => throw new ArgumentException(data.GetType().Name) };
            string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
            string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
            int total = 10 + header.Length + 1;
            header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
            entry.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            entry.Write(BitConverter.GetBytes((ushort)header.Length));
            entry.Write(Encoding.ASCII.GetBytes(header));
            byte[] bytes = data is float[] f ? f.SelectMany(BitConverter.GetBytes).ToArray() : ((bool[])data).Select(b => b ? (byte)1 : (byte)0).ToArray();
            entry.Write(bytes);
        }
    }

    public static Dictionary<string, (long[] Shape, float[] Data)> ReadFloat32(string path)
    {
        var result = new Dictionary<string, (long[], float[])>();
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries)
        {
            using var s = entry.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            byte[] b = ms.ToArray();
            int headerLength = BitConverter.ToUInt16(b, 8);
            string header = Encoding.ASCII.GetString(b, 10, headerLength);
            if (!header.Contains("'<f4'") || header.Contains("'fortran_order': True"))
                throw new InvalidDataException($"{entry.Name}: unexpected header {header}");
            var shape = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
            var data = new float[(b.Length - 10 - headerLength) / 4];
            Buffer.BlockCopy(b, 10 + headerLength, data, 0, data.Length * 4);
            result[Path.GetFileNameWithoutExtension(entry.Name)] = (shape, data);
        }
        return result;
    }
}
