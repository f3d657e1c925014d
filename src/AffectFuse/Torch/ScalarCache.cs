using System.Collections.Concurrent;
using TorchSharp;

namespace AffectFuse.Torch;

/// <summary>TorchSharp <see cref="Scalar"/>s that live as long as the process.</summary>
/// <remarks>TorchSharp's implicit number → Scalar conversion makes a finalizable object and passes only its native handle
/// to libtorch, so in optimised builds the GC may finalize it while libtorch is still reading it (a use after free that
/// surfaced here as "Expected false to be true" from <c>Scalar::toFloat</c> in the middle of a training run). Every
/// Scalar our hot paths pass to libtorch comes from here, where it stays reachable.</remarks>
internal static class ScalarCache
{
    private static readonly ConcurrentDictionary<double, Scalar> Doubles = new();
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>1.0: the alpha to pass to <c>add</c>/<c>sub</c> (and instead of the <c>+</c>/<c>-</c> operators). Their
    /// one-argument overloads make an implicit alpha Scalar that the GC may finalize while libtorch reads it (found as
    /// "Expected false to be true" from <c>Scalar::toFloat</c> in <c>add_Tensor</c> during extraction).</summary>
    public static Scalar One => Of(1.0);

    /// <summary>A floating-point Scalar holding <paramref name="value"/>.</summary>
    public static Scalar Of(double value) => Doubles.GetOrAdd(value, v => v.ToScalar());

    /// <summary>An integer Scalar holding <paramref name="value"/> (keeps integer tensors integer).</summary>
    public static Scalar OfInteger(long value) => Integers.GetOrAdd(value, v => v.ToScalar());
}
