using AffectFuse.Data;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>Where a composed benchmark keeps its files: Aff-Wild2's layout for labels, <c>videos/&lt;split&gt;</c> for media.</summary>
internal static class ComposeLayout
{
    /// <summary>The manifest recording every option, the seed and each clip's plan.</summary>
    public const string ManifestFile = "compose.json";

    /// <summary>The folder of the videos.</summary>
    public const string VideosRoot = "videos";

    /// <summary>The split's name in folder and clip names: train, validation, test.</summary>
    public static string SplitName(ComposeSplit split) => split switch
    {
        ComposeSplit.Train => "train",
        ComposeSplit.Validation => "validation",
        _ => "test",
    };

    /// <summary>The split as an Aff-Wild2 annotation set.</summary>
    public static AffWild2Split AnnotationSet(ComposeSplit split) => split switch
    {
        ComposeSplit.Train => AffWild2Split.Train,
        ComposeSplit.Validation => AffWild2Split.Validation,
        _ => AffWild2Split.Test,
    };

    /// <summary>Path of the manifest under <paramref name="outDir"/>.</summary>
    public static string ManifestPath(string outDir) => Path.Combine(outDir, ManifestFile);

    /// <summary>Folder of a split's videos.</summary>
    public static string VideoDir(string outDir, ComposeSplit split) => Path.Combine(outDir, VideosRoot, SplitName(split));

    /// <summary>Folder of a split's annotation files.</summary>
    public static string LabelDir(string outDir, ComposeSplit split) => AffWild2Layout.LabelsDir(outDir, AnnotationSet(split));

    /// <summary>Path of one clip's video.</summary>
    public static string VideoPath(string outDir, ComposeSplit split, string clip) => Path.Combine(VideoDir(outDir, split), clip + ".mp4");

    /// <summary>Path of one clip's annotation file.</summary>
    public static string LabelPath(string outDir, ComposeSplit split, string clip) => Path.Combine(LabelDir(outDir, split), clip + ".txt");
}
