using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace AffectFuse.Faces.Nets.MediaPipe;

/// <summary>The MediaPipe face mesh, iris and blendshape files AffectFuse ships (<c>assets/mediapipe</c>, copied beside
/// the library into every build output, the tool and the NuGet package's content files). No package registry serves
/// them, so they are committed and their SHA-256 pinned here; a file that does not match is refused, never loaded.</summary>
internal sealed class MediaPipeAssets
{
    /// <summary>The folder's name beside <c>AffectFuse.dll</c>.</summary>
    public const string FolderName = "mediapipe";

    public const string FaceMeshFile = "face_landmark.onnx";
    public const string IrisFile = "iris_landmark.onnx";
    public const string BlendshapeFile = "face_blendshapes.onnx";
    public const string LandmarkSubsetFile = "blendshape_landmarks.txt";
    public const string NamesFile = "blendshape_names.txt";

    /// <summary>Lower-case hex SHA-256 of each file (assets/mediapipe/README.md says where each comes from).</summary>
    public static readonly IReadOnlyDictionary<string, string> Pins = new Dictionary<string, string>
    {
        [FaceMeshFile] = "ed487104519b0a88cb2cb2ec3678e183f447fb9dd63560998e960ffbaa8fb335",
        [IrisFile] = "3eb985960b80e6069812c2f20682b7a4194d80cf5a3a918ddb8d0b3ca72a6432",
        [BlendshapeFile] = "5bfc294309a06838f4223016989f25afe1120ccb536c185cb12243a4eb9cd96e",
        [LandmarkSubsetFile] = "f04ea4a93c03a6cd3deaaf0487c388edd8d3eb6c7628e27f0e8f1340cecbe48a",
        [NamesFile] = "c7f2631c35ebb79458cdb62eade818d4ae5faf04e1fb25ab808fc654bf3492d1",
    };

    // Hashing 7 MB costs tens of milliseconds, and every pipeline opens the files: a file is hashed again only when its
    // size or modification time changes.
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Written), bool> Checked = new();

    /// <summary>Where the shipped files are: <c>mediapipe/</c> beside the library.</summary>
    public static string DefaultFolder => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>The files in <paramref name="folder"/> (default <see cref="DefaultFolder"/>).</summary>
    public MediaPipeAssets(string? folder = null) => Folder = folder ?? DefaultFolder;

    /// <summary>The folder read.</summary>
    public string Folder { get; }

    /// <summary>The verified path of one of the pinned files; an <see cref="AffectFuseException"/> naming it when it is
    /// missing or its SHA-256 is not the pinned one.</summary>
    public string Require(string name)
    {
        if (!Pins.TryGetValue(name, out string? pinned))
            throw new ArgumentException($"{name} is not one of the pinned MediaPipe files", nameof(name));
        string path = Path.Combine(Folder, name);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new AffectFuseException(path, "MediaPipe model file not found; it ships in assets/mediapipe and is copied beside AffectFuse.dll (rebuild or reinstall)");
        if (Checked.ContainsKey((path, info.Length, info.LastWriteTimeUtc)))
            return path;
        string actual;
        using (var stream = File.OpenRead(path))
            actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != pinned)
            throw new AffectFuseException(path, $"SHA-256 {actual} is not the pinned {pinned}; refusing to load it");
        Checked[(path, info.Length, info.LastWriteTimeUtc)] = true;
        return path;
    }

    /// <summary>The 146 indices into the 478 landmarks (468 mesh + 10 iris) that the blendshape model reads, in its order.</summary>
    public int[] LandmarkSubset()
    {
        string path = Require(LandmarkSubsetFile);
        return Lines(path).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The 52 blendshape names in the model's output order (<c>_neutral</c>, <c>browDownLeft</c>, …).</summary>
    public string[] BlendshapeNames() => Lines(Require(NamesFile));

    private static string[] Lines(string path) =>
        File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
}
