using System.Text.Json;
using AffectFuse.IO;

namespace AffectFuse.Benchmarks.Compose;

/// <summary>The content of <c>compose.json</c>: the options, the seed, the class prior in effect, and every clip's
/// plan (split, speaker, segments with face image and utterances, absent spans, SNR). Depends only on the data and the
/// options, so the same seed gives the same file.</summary>
public sealed record ComposeManifest
{
    /// <summary>Format tag.</summary>
    public string Format { get; init; } = "affectfuse-compose/1";

    /// <summary>How frame ranges are written.</summary>
    public string FrameRanges { get; init; } = "zero-based frame indices, startFrame inclusive, endFrame exclusive";

    /// <summary>The seed (also in <see cref="Options"/>).</summary>
    public int Seed { get; init; }

    /// <summary>The data folder as given.</summary>
    public string Data { get; init; } = "";

    /// <summary>Every option.</summary>
    public ComposeOptions Options { get; init; } = new();

    /// <summary>Class shares drawn from, per split (after the floor; a class with no face photograph in a split is left out of it).</summary>
    public Dictionary<ComposeSplit, double[]> ClassPriors { get; init; } = [];

    /// <summary>The clips.</summary>
    public IReadOnlyList<ClipPlan> Clips { get; init; } = [];

    /// <summary>The manifest as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, OptionsJson.Settings);

    /// <summary>Reads a manifest; a broken file is an <see cref="AffectFuseException"/> naming it.</summary>
    public static ComposeManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ComposeManifest>(File.ReadAllText(path), OptionsJson.Settings)
                ?? throw new AffectFuseException(path, "empty manifest");
        }
        catch (JsonException e) { throw new AffectFuseException(path, $"not a compose manifest: {e.Message}", e); }
        catch (IOException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
    }
}
