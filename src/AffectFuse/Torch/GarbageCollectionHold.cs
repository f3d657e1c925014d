using System.Runtime;

namespace AffectFuse.Torch;

/// <summary>Runs a TorchSharp call whose own temporary Scalars nothing keeps alive with the garbage collector held off,
/// so that none is finalized while libtorch reads it. TorchSharp's optimizers make such Scalars inside <c>step()</c>
/// (β₁, 1 − lr·λ, …): a fresh-clone CI run of 2026-12-07 failed with "Unknown scalar type" from <c>mul_</c> in
/// <c>AdamW.step</c>, a collection triggered by another thread having freed one. <see cref="ScalarCache"/> covers the
/// Scalars our own code passes; this covers the library's.</summary>
internal static class GarbageCollectionHold
{
    // More than a step's managed garbage (the wrappers of a few hundred tensors and Scalars), little enough to be
    // reserved without a collection most of the time.
    private const long Budget = 16L << 20;

    /// <summary>Runs <paramref name="call"/> inside a no-GC region when one can be started (not when another thread
    /// holds one: then collections are held off already).</summary>
    public static void Run(Action call)
    {
        bool held;
        try
        {
            held = GC.TryStartNoGCRegion(Budget);
        }
        catch (InvalidOperationException)
        {
            held = false;
        }
        try
        {
            call();
        }
        finally
        {
            // A call that allocated past the budget has ended the region itself.
            if (held && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }
    }
}
