namespace AffectFuse.Data;

/// <summary>Element types of the <c>.npy</c> arrays AffectFuse reads and writes (little-endian, C order).</summary>
internal enum NpyDType
{
    /// <summary><c>&lt;f4</c>, stored as <see cref="float"/>.</summary>
    Float32,
    /// <summary><c>&lt;f2</c>, stored as <see cref="Half"/>.</summary>
    Float16,
    /// <summary><c>&lt;f8</c>, stored as <see cref="double"/>.</summary>
    Float64,
    /// <summary><c>|b1</c>, stored as <see cref="bool"/>.</summary>
    Bool,
    /// <summary><c>&lt;i8</c>, stored as <see cref="long"/>.</summary>
    Int64,
    /// <summary><c>&lt;i4</c>, stored as <see cref="int"/>.</summary>
    Int32,
    /// <summary><c>|u1</c>, stored as <see cref="byte"/>.</summary>
    UInt8,
    /// <summary><c>&lt;U{n}</c> (UTF-32LE, fixed width n), stored as <see cref="string"/>.</summary>
    Unicode,
}

/// <summary>An n-dimensional array as held in a <c>.npy</c> file: a dtype, a C-order shape and a flat typed buffer
/// (<c>float[]</c>, <c>Half[]</c>, <c>double[]</c>, <c>bool[]</c>, <c>long[]</c>, <c>int[]</c>, <c>byte[]</c> or <c>string[]</c>).</summary>
internal sealed class NpyArray
{
    /// <summary>Element type.</summary>
    public NpyDType DType { get; }

    /// <summary>Shape, C order; empty for a 0-d (scalar) array.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The flat element buffer; its element type follows <see cref="DType"/>.</summary>
    public Array Data { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Count;

    /// <summary>Number of elements (1 for a 0-d array).</summary>
    public long Length => Data.LongLength;

    /// <summary>Creates an array; the buffer type must match <paramref name="dtype"/> and its length the shape's product.</summary>
    public NpyArray(NpyDType dtype, IReadOnlyList<int> shape, Array data)
    {
        Type expected = ElementType(dtype);
        if (data.GetType().GetElementType() != expected || data.Rank != 1)
            throw new ArgumentException($"a {dtype} array needs a {expected.Name}[] buffer, got {data.GetType().Name}", nameof(data));
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension {d}", nameof(shape));
            count *= d;
        }
        if (count != data.LongLength)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but the buffer has {data.LongLength}", nameof(data));
        DType = dtype;
        Shape = shape.ToArray();
        Data = data;
    }

    /// <summary>A float32 array.</summary>
    public static NpyArray Of(float[] data, params int[] shape) => new(NpyDType.Float32, shape, data);
    /// <summary>A float16 array.</summary>
    public static NpyArray Of(Half[] data, params int[] shape) => new(NpyDType.Float16, shape, data);
    /// <summary>A float64 array.</summary>
    public static NpyArray Of(double[] data, params int[] shape) => new(NpyDType.Float64, shape, data);
    /// <summary>A bool array.</summary>
    public static NpyArray Of(bool[] data, params int[] shape) => new(NpyDType.Bool, shape, data);
    /// <summary>An int64 array.</summary>
    public static NpyArray Of(long[] data, params int[] shape) => new(NpyDType.Int64, shape, data);
    /// <summary>An int32 array.</summary>
    public static NpyArray Of(int[] data, params int[] shape) => new(NpyDType.Int32, shape, data);
    /// <summary>A uint8 array.</summary>
    public static NpyArray Of(byte[] data, params int[] shape) => new(NpyDType.UInt8, shape, data);
    /// <summary>A 0-d unicode string array, as <c>numpy.array("...")</c> makes.</summary>
    public static NpyArray Scalar(string text) => new(NpyDType.Unicode, [], new[] { text });

    /// <summary>The CLR element type that holds <paramref name="dtype"/>.</summary>
    public static Type ElementType(NpyDType dtype) => dtype switch
    {
        NpyDType.Float32 => typeof(float),
        NpyDType.Float16 => typeof(Half),
        NpyDType.Float64 => typeof(double),
        NpyDType.Bool => typeof(bool),
        NpyDType.Int64 => typeof(long),
        NpyDType.Int32 => typeof(int),
        NpyDType.UInt8 => typeof(byte),
        NpyDType.Unicode => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>True for the floating-point dtypes.</summary>
    public bool IsFloat => DType is NpyDType.Float32 or NpyDType.Float16 or NpyDType.Float64;

    /// <summary>True for the integer dtypes (bool excluded).</summary>
    public bool IsInteger => DType is NpyDType.Int64 or NpyDType.Int32 or NpyDType.UInt8;

    /// <summary>The elements as float32 (float16 widened exactly, float64 rounded); null for non-float dtypes.</summary>
    public float[]? ToSingles() => Data switch
    {
        float[] f => f,
        Half[] h => Array.ConvertAll(h, x => (float)x),
        double[] d => Array.ConvertAll(d, x => (float)x),
        _ => null,
    };

    /// <summary>The elements as float64; null for non-float dtypes.</summary>
    public double[]? ToDoubles() => Data switch
    {
        double[] d => d,
        float[] f => Array.ConvertAll(f, x => (double)x),
        Half[] h => Array.ConvertAll(h, x => (double)x),
        _ => null,
    };

    /// <summary>The elements as truth values: bool as is, integers non-zero; null for other dtypes.</summary>
    public bool[]? ToBooleans() => Data switch
    {
        bool[] b => b,
        byte[] u => Array.ConvertAll(u, x => x != 0),
        int[] i => Array.ConvertAll(i, x => x != 0),
        long[] l => Array.ConvertAll(l, x => x != 0),
        _ => null,
    };

    /// <summary>The dtype as numpy names it, e.g. <c>float32</c> or <c>&lt;U12</c>.</summary>
    public string DTypeName => DType switch
    {
        NpyDType.Float32 => "float32",
        NpyDType.Float16 => "float16",
        NpyDType.Float64 => "float64",
        NpyDType.Bool => "bool",
        NpyDType.Int64 => "int64",
        NpyDType.Int32 => "int32",
        NpyDType.UInt8 => "uint8",
        _ => "unicode string",
    };

    /// <summary>The shape as numpy prints it, e.g. <c>(100, 32)</c>.</summary>
    public string ShapeText => Shape.Count == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";
}
