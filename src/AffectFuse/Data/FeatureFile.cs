namespace AffectFuse.Data;

/// <summary>Reads and writes the per-video <c>.npz</c> feature file (numpy-compatible).</summary>
public static class FeatureFile
{
    /// <summary>Writes atomically (temporary name, then rename).</summary>
    public static void Save(VideoFeatures features, string path) => throw new NotImplementedException("data helper");

    /// <summary>Reads and validates; errors name the file.</summary>
    public static VideoFeatures Load(string path) => throw new NotImplementedException("data helper");
}
