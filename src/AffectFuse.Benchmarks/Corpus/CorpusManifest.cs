using System.Text.Json;
using AffectFuse.IO;

namespace AffectFuse.Benchmarks.Corpus;

/// <summary>The content of <c>corpus.json</c>: the mixture's options, the seed, and every clip's plan. Depends only on
/// the data and the options, so the same seed gives the same file.</summary>
public sealed record CorpusManifest
{
    /// <summary>The manifest's file name in the output folder.</summary>
    public const string FileName = "corpus.json";

    /// <summary>Format tag.</summary>
    public string Format { get; init; } = "affectfuse-corpus/1";

    /// <summary>The data folder as given.</summary>
    public string Data { get; init; } = "";

    /// <summary>Every option (the mixture).</summary>
    public CorpusOptions Options { get; init; } = new();

    /// <summary>The clips.</summary>
    public IReadOnlyList<CorpusClip> Clips { get; init; } = [];

    /// <summary>The manifest as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, OptionsJson.Settings);

    /// <summary>Reads a manifest; a broken file is an <see cref="AffectFuseException"/> naming it.</summary>
    public static CorpusManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path), OptionsJson.Settings)
                ?? throw new AffectFuseException(path, "empty manifest");
        }
        catch (JsonException e) { throw new AffectFuseException(path, $"not a corpus manifest: {e.Message}", e); }
        catch (IOException e) { throw new AffectFuseException(path, $"cannot read: {e.Message}", e); }
    }
}
