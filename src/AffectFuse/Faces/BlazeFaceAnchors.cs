namespace AffectFuse.Faces;

/// <summary>Anchor centres of MediaPipe's SSD anchor calculator for BlazeFace (fixed anchor size, so only centres
/// matter). Written by hand: no library here generates MediaPipe anchors.</summary>
internal static class BlazeFaceAnchors
{
    /// <summary>Strides of the 128×128 "front" model (MediaPipe face_detection_front).</summary>
    public static readonly int[] FrontStrides = [8, 16, 16, 16];

    /// <summary>Strides of the 256×256 "back" model (MediaPipe face_detection_back).</summary>
    public static readonly int[] BackStrides = [16, 32, 32, 32];

    /// <summary>Anchor centres as (x, y) pairs normalised to [0, 1], in the model's output order.</summary>
    /// <remarks>As in MediaPipe with aspect_ratios [1.0] and interpolated_scale_aspect_ratio 1.0: every layer puts two
    /// anchors on each cell of its feature map, consecutive layers with the same stride share one feature map
    /// (their anchors are emitted together per cell), cells run row by row, and centres sit at cell middles
    /// (anchor offset 0.5).</remarks>
    public static float[] Generate(int inputSize, IReadOnlyList<int> strides)
    {
        const int anchorsPerLayer = 2;
        var centres = new List<float>();
        int layer = 0;
        while (layer < strides.Count)
        {
            int stride = strides[layer];
            int sameStride = 0;
            while (layer < strides.Count && strides[layer] == stride)
            {
                sameStride++;
                layer++;
            }
            int cells = (int)Math.Ceiling((double)inputSize / stride);
            for (int y = 0; y < cells; y++)
                for (int x = 0; x < cells; x++)
                    for (int a = 0; a < sameStride * anchorsPerLayer; a++)
                    {
                        centres.Add((x + 0.5f) / cells);
                        centres.Add((y + 0.5f) / cells);
                    }
        }
        return centres.ToArray();
    }
}
