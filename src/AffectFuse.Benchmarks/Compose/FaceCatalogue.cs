namespace AffectFuse.Benchmarks.Compose;

/// <summary>The labelled face photographs of <c>faces/labels.csv</c> (<c>image,emotion,identity,split</c>).</summary>
public sealed class FaceCatalogue
{
    /// <summary>Emotion names of labels.csv mapped to the Aff-Wild2 classes.</summary>
    public static readonly IReadOnlyDictionary<string, int> EmotionClasses = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["neutral"] = 0, ["anger"] = 1, ["disgust"] = 2, ["fear"] = 3, ["happiness"] = 4, ["sadness"] = 5, ["surprise"] = 6, ["contempt"] = 7,
    };

    /// <summary>Folder holding the image files.</summary>
    public string ImagesDir { get; }

    /// <summary>Every photograph, in file order.</summary>
    public IReadOnlyList<FacePhoto> Photos { get; }

    private FaceCatalogue(string imagesDir, IReadOnlyList<FacePhoto> photos)
    {
        ImagesDir = imagesDir;
        Photos = photos;
    }

    /// <summary>Full path of a photograph's file.</summary>
    public string PathOf(FacePhoto photo) => Path.Combine(ImagesDir, photo.Image);

    /// <summary>Photographs of one split.</summary>
    public IEnumerable<FacePhoto> InSplit(ComposeSplit split) => Photos.Where(p => p.Split == split);

    /// <summary>Reads <c>FACES/labels.csv</c> and checks that every image it names exists in <c>FACES/images</c>.</summary>
    public static FaceCatalogue Load(string facesDir)
    {
        string csv = Path.Combine(facesDir, "labels.csv");
        string images = Path.Combine(facesDir, "images");
        if (!File.Exists(csv))
            throw new AffectFuseException(csv, "face label file not found (expected columns image,emotion,identity,split)");
        if (!Directory.Exists(images))
            throw new AffectFuseException(images, "face image folder not found");

        string[] lines;
        try { lines = File.ReadAllLines(csv); }
        catch (IOException e) { throw new AffectFuseException(csv, $"cannot read: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new AffectFuseException(csv, $"cannot read: {e.Message}", e); }
        if (lines.Length == 0)
            throw new AffectFuseException(csv, "file is empty; expected the header image,emotion,identity,split");

        string[] header = lines[0].TrimStart('\uFEFF').Split(',').Select(h => h.Trim().ToLowerInvariant()).ToArray();
        int Column(string name)
        {
            int i = Array.IndexOf(header, name);
            if (i < 0) throw new AffectFuseException(csv, $"line 1: no '{name}' column (expected image,emotion,identity,split)");
            return i;
        }
        int imageCol = Column("image"), emotionCol = Column("emotion"), identityCol = Column("identity"), splitCol = Column("split");

        var photos = new List<FacePhoto>();
        for (int n = 1; n < lines.Length; n++)
        {
            if (lines[n].Trim().Length == 0) continue;
            // Plain comma-separated fields: the file names and identities of this data set hold no commas or quotes.
            string[] f = lines[n].Split(',').Select(x => x.Trim()).ToArray();
            if (f.Length != header.Length)
                throw new AffectFuseException(csv, $"line {n + 1}: {f.Length} fields, expected {header.Length}");
            if (!EmotionClasses.TryGetValue(f[emotionCol], out int cls))
                throw new AffectFuseException(csv, $"line {n + 1}: unknown emotion '{f[emotionCol]}' (expected one of {string.Join(", ", EmotionClasses.Keys)})");
            ComposeSplit split = f[splitCol].ToLowerInvariant() switch
            {
                "train" => ComposeSplit.Train,
                "val" or "validation" => ComposeSplit.Validation,
                "test" => ComposeSplit.Test,
                _ => throw new AffectFuseException(csv, $"line {n + 1}: unknown split '{f[splitCol]}' (expected train, val or test)"),
            };
            if (f[imageCol].Length == 0 || f[identityCol].Length == 0)
                throw new AffectFuseException(csv, $"line {n + 1}: empty image or identity");
            if (!File.Exists(Path.Combine(images, f[imageCol])))
                throw new AffectFuseException(Path.Combine(images, f[imageCol]), $"image named on line {n + 1} of {csv} not found");
            photos.Add(new FacePhoto(f[imageCol], cls, f[identityCol], split));
        }
        var leaking = photos.GroupBy(p => p.Identity).FirstOrDefault(g => g.Select(p => p.Split).Distinct().Count() > 1);
        if (leaking is not null)
            throw new AffectFuseException(csv, $"identity '{leaking.Key}' is in more than one split; splits must be by identity");
        return new FaceCatalogue(images, photos);
    }
}
