using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AffectFuse.Torch;

/// <summary>CPU tensors written in place from host memory.</summary>
/// <remarks>TorchSharp's <c>torch.tensor(T[], shape)</c> first copies the array into a new managed array that it pins for
/// the tensor's lifetime: 10–30 MB of large-object-heap garbage per batch of 1024-wide features, which the GC let pile
/// up to gigabytes between full collections. Allocating the tensor natively and writing into its storage leaves nothing
/// for the GC.</remarks>
internal static class HostTensor
{
    /// <summary>A new uninitialised CPU tensor of <paramref name="shape"/>; its storage as a span of <typeparamref name="T"/>.</summary>
    public static Tensor Empty<T>(ReadOnlySpan<long> shape, out Span<T> storage) where T : unmanaged
    {
        var t = empty(shape, dtype: DTypeOf<T>());
        storage = MemoryMarshal.Cast<byte, T>(t.bytes);
        return t;
    }

    private static ScalarType DTypeOf<T>() where T : unmanaged => default(T) switch
    {
        float => ScalarType.Float32,
        bool => ScalarType.Bool,
        long => ScalarType.Int64,
        Half => ScalarType.Float16,
        _ => throw new NotSupportedException($"no tensor type for {typeof(T).Name}"),
    };
}
