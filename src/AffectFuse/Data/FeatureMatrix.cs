using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace AffectFuse.Data;

/// <summary>Per-frame feature rows <c>[Rows, Width]</c>, row-major, held in the precision they were stored in:
/// float32, or float16 widened only when rows are copied out for a batch.</summary>
/// <remarks>An Aff-Wild2-sized data set with 1024 + 1024 float16 features is 3.6 GB on disk; widening it to float32 at
/// load time doubled that in memory. Keeping the file's precision makes memory track the bytes of the feature files.</remarks>
public sealed class FeatureMatrix
{
    private readonly float[]? _singles;
    private readonly Half[]? _halves;

    private FeatureMatrix(float[]? singles, Half[]? halves, int width)
    {
        if (width < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"a feature row needs at least one column, got {width}");
        long length = singles?.LongLength ?? halves!.LongLength;
        if (length % width != 0)
            throw new ArgumentException($"{length} values do not make whole rows of {width}", nameof(width));
        _singles = singles;
        _halves = halves;
        Width = width;
        Rows = (int)(length / width);
    }

    /// <summary>float32 rows (the array is kept, not copied).</summary>
    public static FeatureMatrix Of(float[] values, int width) => new(values ?? throw new ArgumentNullException(nameof(values)), null, width);

    /// <summary>float16 rows (the array is kept, not copied).</summary>
    public static FeatureMatrix Of(Half[] values, int width) => new(null, values ?? throw new ArgumentNullException(nameof(values)), width);

    /// <summary><paramref name="rows"/> all-zero float32 rows of <paramref name="width"/> columns.</summary>
    public static FeatureMatrix Zeros(int rows, int width) => Of(new float[(long)rows * width], width);

    /// <summary>Rows of a 2-D float <c>.npy</c> array: float32 and float16 kept as they are, float64 rounded to float32
    /// (nothing downstream computes in double). Null for a non-float dtype.</summary>
    internal static FeatureMatrix? FromNpy(NpyArray array)
    {
        if (array.Rank != 2) throw new ArgumentException($"expected a 2-D array, got shape {array.ShapeText}", nameof(array));
        int width = array.Shape[1];
        return array.Data switch
        {
            float[] f => Of(f, width),
            Half[] h => Of(h, width),
            double[] d => Of(Array.ConvertAll(d, x => (float)x), width),
            _ => null,
        };
    }

    /// <summary>Number of rows (frames).</summary>
    public int Rows { get; }

    /// <summary>Values per row.</summary>
    public int Width { get; }

    /// <summary>Storage precision: <see cref="NpyDType.Float32"/> or <see cref="NpyDType.Float16"/>.</summary>
    internal NpyDType DType => _halves is null ? NpyDType.Float32 : NpyDType.Float16;

    /// <summary>Bytes held in memory.</summary>
    public long ByteCount => _halves is null ? _singles!.LongLength * sizeof(float) : _halves.LongLength * 2;

    /// <summary>One value, widened to float32.</summary>
    public float this[int row, int column]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)column >= (uint)Width)
                throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside {Rows}×{Width}");
            long i = (long)row * Width + column;
            return _halves is null ? _singles![i] : (float)_halves[i];
        }
    }

    /// <summary>Copies <paramref name="count"/> rows starting at <paramref name="start"/> into <paramref name="destination"/>
    /// as float32 (float16 widened exactly, vectorised).</summary>
    internal void CopyRows(int start, int count, Span<float> destination)
    {
        if (start < 0 || count < 0 || start + count > Rows)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count - 1} are outside {Rows} rows");
        int n = checked(count * Width);
        if (destination.Length < n)
            throw new ArgumentException($"destination holds {destination.Length} values, {n} needed", nameof(destination));
        long offset = (long)start * Width;
        if (_halves is null)
            _singles.AsSpan((int)offset, n).CopyTo(destination);
        else
            TensorPrimitives.ConvertToSingle(_halves.AsSpan((int)offset, n), destination[..n]);
    }

    /// <summary>Every value as float32: the array itself for float32 storage, a widened copy for float16.</summary>
    public float[] ToSingles()
    {
        if (_singles is not null) return _singles;
        var values = new float[_halves!.Length];
        TensorPrimitives.ConvertToSingle(_halves, values);
        return values;
    }

    /// <summary>The same precision with <paramref name="rows"/> rows: extra rows dropped, missing rows zero.</summary>
    internal FeatureMatrix WithRows(int rows)
    {
        long n = (long)rows * Width;
        if (_halves is not null)
        {
            var h = new Half[n];
            Array.Copy(_halves, h, Math.Min(n, _halves.LongLength));
            return Of(h, Width);
        }
        var f = new float[n];
        Array.Copy(_singles!, f, Math.Min(n, _singles!.LongLength));
        return Of(f, Width);
    }

    /// <summary>The same precision with only the column ranges <paramref name="ranges"/> (start, count), in that order.</summary>
    internal FeatureMatrix WithColumns(IReadOnlyList<(int Start, int Count)> ranges)
    {
        int width = ranges.Sum(r => r.Count);
        if (ranges.Any(r => r.Start < 0 || r.Count < 0 || r.Start + r.Count > Width))
            throw new ArgumentOutOfRangeException(nameof(ranges), $"a column range lies outside the {Width} columns");
        return _halves is not null ? Of(Gather(_halves, width, ranges), width) : Of(Gather(_singles!, width, ranges), width);
    }

    private T[] Gather<T>(T[] source, int width, IReadOnlyList<(int Start, int Count)> ranges)
    {
        var result = new T[(long)Rows * width];
        for (long r = 0; r < Rows; r++)
        {
            long at = r * width;
            foreach (var (start, count) in ranges)
            {
                Array.Copy(source, r * Width + start, result, at, count);
                at += count;
            }
        }
        return result;
    }

    /// <summary>True for each row holding any non-zero value (−0 counts as zero): extractors zero-fill absent frames.</summary>
    internal bool[] NonZeroRows()
    {
        var mask = new bool[Rows];
        for (int r = 0; r < Rows; r++)
        {
            mask[r] = _halves is null
                ? AnyNonZero(MemoryMarshal.Cast<float, uint>(_singles.AsSpan(r * Width, Width)), 0x7FFF_FFFFu)
                : AnyNonZero(MemoryMarshal.Cast<Half, ushort>(_halves.AsSpan(r * Width, Width)), (ushort)0x7FFF);
        }
        return mask;
    }

    /// <summary>Throws <see cref="AffectFuseException"/> naming <paramref name="source"/>, frame and column of the first
    /// NaN or infinity.</summary>
    internal void CheckFinite(string source, string name)
    {
        // Not finite = every exponent bit set; a vectorised scan of the bit patterns finds the first one fast.
        long bad = _halves is null
            ? FirstNonFinite(MemoryMarshal.Cast<float, uint>(_singles.AsSpan()), 0x7F80_0000u)
            : FirstNonFinite(MemoryMarshal.Cast<Half, ushort>(_halves.AsSpan()), (ushort)0x7C00);
        if (bad < 0) return;
        float value = _halves is null ? _singles![bad] : (float)_halves[bad];
        string kind = float.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        throw new AffectFuseException(source, $"{name} feature is {kind} at frame {bad / Width}, column {bad % Width}");
    }

    /// <summary>The rows as a 2-D <c>.npy</c> array of the same precision (no copy for either).</summary>
    internal NpyArray ToNpy() => _halves is null ? NpyArray.Of(_singles!, Rows, Width) : NpyArray.Of(_halves, Rows, Width);

    private static bool AnyNonZero<T>(ReadOnlySpan<T> bits, T magnitude) where T : unmanaged, IBinaryInteger<T>
    {
        foreach (T b in bits)
            if ((b & magnitude) != T.Zero) return true;
        return false;
    }

    private static long FirstNonFinite<T>(ReadOnlySpan<T> bits, T exponent) where T : unmanaged, IBinaryInteger<T>
    {
        var mask = new Vector<T>(exponent);
        int i = 0;
        for (; i <= bits.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            if (Vector.EqualsAny(new Vector<T>(bits.Slice(i, Vector<T>.Count)) & mask, mask))
                break;
        }
        for (; i < bits.Length; i++)
            if ((bits[i] & exponent) == exponent) return i;
        return -1;
    }
}
