namespace AffectFuse.Data;

/// <summary>Loads a data set: pairs label files with feature files and aligns frame counts.</summary>
public static class DatasetLoader
{
    /// <summary>Labelled videos (requires <see cref="DatasetSource.LabelsDir"/>); <paramref name="warn"/> receives alignment warnings.</summary>
    public static IReadOnlyList<LabelledVideo> LoadLabelled(DatasetSource source, Action<string>? warn = null)
        => throw new NotImplementedException("data helper");

    /// <summary>Features of every video in the source (labels ignored).</summary>
    public static IEnumerable<VideoFeatures> LoadFeatures(DatasetSource source)
        => throw new NotImplementedException("data helper");
}
