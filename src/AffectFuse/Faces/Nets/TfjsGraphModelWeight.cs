namespace AffectFuse.Faces.Nets;

/// <summary>One tensor from a TF.js <c>weightsManifest</c>, decoded from the weight files (float32 or int32).</summary>
/// <param name="Name">The manifest name, which is also the name of the Const node it feeds.</param>
/// <param name="Shape">Dimensions in TensorFlow order (a scalar has none).</param>
/// <param name="Floats">Values when the dtype is float32, else null.</param>
/// <param name="Ints">Values when the dtype is int32, else null.</param>
internal sealed record TfjsGraphModelWeight(string Name, long[] Shape, float[]? Floats, int[]? Ints)
{
    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The tensor as a TorchSharp tensor in TensorFlow dimension order.</summary>
    public TorchSharp.torch.Tensor ToTensor() =>
        Floats is not null ? TorchSharp.torch.tensor(Floats, Shape) : TorchSharp.torch.tensor(Ints!, Shape);
}
