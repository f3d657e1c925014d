namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>MediaPipe's three face nets as the shipped ONNX files define them, each taking batch 1:
/// <list type="bullet">
/// <item>face mesh: [1, 3, 192, 192] RGB in [0, 1] (channels first) → 468 × (x, y, z) in crop pixels, and a face-presence logit;</item>
/// <item>iris: [1, 3, 64, 64] RGB in [0, 1] of a left eye (right eyes mirrored) → 71 eye-contour and 5 iris points × (x, y, z) in crop pixels;</item>
/// <item>blendshapes: [1, 146, 2], the points of <see cref="Subset"/> in frame pixels → 52 scores in [0, 1].</item>
/// </list></summary>
internal sealed class MediaPipeNets(OnnxNet mesh, OnnxNet iris, OnnxNet blendshapes, int[] subset) : IDisposable
{
    public const int MeshSize = 192, MeshPoints = 468, EyeSize = 64, EyeContourPoints = 71, IrisPoints = 5, SubsetPoints = 146;

    /// <summary>The mesh's 468 points and the two irises' 5 each, the numbering the blendshape model's subset uses.</summary>
    public const int AllPoints = MeshPoints + 2 * IrisPoints;

    /// <summary>Outputs 0: points [1404], 1: presence logit [1].</summary>
    public OnnxNet Mesh { get; } = mesh;

    /// <summary>Outputs 0: eye contour and brows [213], 1: iris [15].</summary>
    public OnnxNet Iris { get; } = iris;

    /// <summary>Output 0: the 52 scores.</summary>
    public OnnxNet Blendshapes { get; } = blendshapes;

    /// <summary>The blendshape model's 146 indices into the 478 points.</summary>
    public int[] Subset { get; } = subset;

    /// <summary>Loads the three nets from <paramref name="assets"/>, each file checked against its pinned SHA-256.</summary>
    public static MediaPipeNets Open(MediaPipeAssets assets)
    {
        var (subset, subsetPath) = (assets.LandmarkSubset(), Path.Combine(assets.Folder, MediaPipeAssets.LandmarkSubsetFile));
        if (subset.Length != SubsetPoints || subset.Any(i => i is < 0 or >= AllPoints))
            throw new AffectFuseException(subsetPath, $"expected {SubsetPoints} indices below {AllPoints}");
        if (!assets.BlendshapeNames().SequenceEqual(BlendshapeColumns.Names))
            throw new AffectFuseException(Path.Combine(assets.Folder, MediaPipeAssets.NamesFile), "the blendshape names are not the ones AffectFuse's columns are made of");
        var opened = new List<IDisposable>();
        try
        {
            var mesh = Add(opened, new OnnxNet(assets.Require(MediaPipeAssets.FaceMeshFile), "MediaPipe face mesh", "input_1", [1, 3, MeshSize, MeshSize],
                ("conv2d_20", [1, 3 * MeshPoints, 1, 1]), ("conv2d_30", [1, 1, 1, 1])));
            var iris = Add(opened, new OnnxNet(assets.Require(MediaPipeAssets.IrisFile), "MediaPipe iris", "input_1", [1, 3, EyeSize, EyeSize],
                ("output_eyes_contours_and_brows", [1, 3 * EyeContourPoints]), ("output_iris", [1, 3 * IrisPoints])));
            var blendshapes = Add(opened, new OnnxNet(assets.Require(MediaPipeAssets.BlendshapeFile), "MediaPipe blendshape", "serving_default_input_points:0",
                [1, SubsetPoints, 2], ("StatefulPartitionedCall:0", [BlendshapeColumns.Count])));
            return new MediaPipeNets(mesh, iris, blendshapes, subset);
        }
        catch
        {
            opened.ForEach(o => o.Dispose());
            throw;
        }
    }

    private static OnnxNet Add(List<IDisposable> opened, OnnxNet net)
    {
        opened.Add(net);
        return net;
    }

    public void Dispose()
    {
        Mesh.Dispose();
        Iris.Dispose();
        Blendshapes.Dispose();
    }
}
