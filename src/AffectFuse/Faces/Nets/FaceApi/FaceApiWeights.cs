using static TorchSharp.torch;

namespace AffectFuse.Faces.Nets.FaceApi;

/// <summary>The tensors of one face-api weights manifest (<c>*-weights_manifest.json</c> + its .bin), handed out by name
/// and converted from TensorFlow's layouts to PyTorch's. Every tensor must be taken exactly once (<see cref="CheckAllUsed"/>),
/// so a manifest with extra or renamed weights fails loudly instead of leaving a layer at garbage.</summary>
internal sealed class FaceApiWeights
{
    private readonly string manifestPath;
    private readonly Dictionary<string, TfjsGraphModelWeight> remaining;

    private FaceApiWeights(string manifestPath, IReadOnlyDictionary<string, TfjsGraphModelWeight> weights)
    {
        this.manifestPath = manifestPath;
        remaining = new Dictionary<string, TfjsGraphModelWeight>(weights, StringComparer.Ordinal);
    }

    /// <summary>Reads (and dequantises) every tensor of the manifest at <paramref name="manifestPath"/>; face-api's
    /// manifest file is the weightsManifest list itself, not a model.json.</summary>
    public static FaceApiWeights Read(string manifestPath)
    {
        System.Text.Json.JsonDocument doc;
        try
        {
            doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new AffectFuseException(manifestPath, $"cannot read weights manifest: {e.Message}", e);
        }
        using (doc)
            return new FaceApiWeights(manifestPath, TfjsGraphModelWeights.Read(manifestPath, doc.RootElement));
    }

    /// <summary>A plain convolution filter, TF HWIO [kh, kw, in, out] → OIHW [out, in, kh, kw].</summary>
    public Tensor ConvFilter(string name)
    {
        using var t = Take(name, 4);
        return t.permute(3, 2, 0, 1).contiguous();
    }

    /// <summary>A depthwise filter, TF [kh, kw, C, 1] → PyTorch grouped-conv [C, 1, kh, kw] (groups = C).</summary>
    public Tensor DepthwiseFilter(string name)
    {
        using var t = Take(name, 4);
        if (t.shape[3] != 1)
            throw new AffectFuseException(manifestPath, $"weight '{name}' has channel multiplier {t.shape[3]}; face-api's depthwise filters have 1");
        return t.permute(2, 3, 0, 1).contiguous();
    }

    /// <summary>A fully connected layer's matrix, TF [in, out] (x·W) → nn.Linear's [out, in].</summary>
    public Tensor FcMatrix(string name)
    {
        using var t = Take(name, 2);
        return t.t().contiguous();
    }

    /// <summary>A 1-D bias.</summary>
    public Tensor Bias(string name) => Take(name, 1);

    /// <summary>Throws when the manifest holds a tensor no layer took.</summary>
    public void CheckAllUsed()
    {
        if (remaining.Count > 0)
            throw new AffectFuseException(manifestPath, $"weights manifest has tensors this network does not use: {string.Join(", ", remaining.Keys.Order())}");
    }

    private Tensor Take(string name, int rank)
    {
        if (!remaining.Remove(name, out var weight))
            throw new AffectFuseException(manifestPath, $"weights manifest has no tensor '{name}'");
        if (weight.Shape.Length != rank || weight.Floats is null)
            throw new AffectFuseException(manifestPath, $"weight '{name}' has shape [{string.Join(",", weight.Shape)}] ({(weight.Floats is null ? "int32" : "float32")}); expected a float32 tensor of rank {rank}");
        return weight.ToTensor();
    }
}
