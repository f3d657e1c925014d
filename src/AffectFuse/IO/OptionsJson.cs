using System.Text.Json;
using System.Text.Json.Serialization;

namespace AffectFuse.IO;

/// <summary>The one JSON style for options files (beside checkpoints, inside them and in exports): indented, property names
/// as in C#, enums as names, so a person can read and edit them and a run can be reproduced from them.</summary>
internal static class OptionsJson
{
    /// <summary>Serializer settings.</summary>
    public static readonly JsonSerializerOptions Settings = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="value"/> in this style to <paramref name="path"/>, atomically, ending in a newline.</summary>
    public static void WriteFile<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Settings) + "\n");

    // Options files a person edits: a misspelt key must not be ignored in silence (the run would use the default).
    private static readonly JsonSerializerOptions Strict = new(Settings) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    /// <summary>Reads an options file a person wrote or edited: unknown keys are refused; every problem is an
    /// <see cref="AffectFuseException"/> naming <paramref name="path"/>. <paramref name="what"/> names the type in messages.</summary>
    public static T ReadFile<T>(string path, string what) where T : class
    {
        if (!File.Exists(path))
            throw new AffectFuseException(path, Directory.Exists(path) ? $"is a folder, not a {what} file" : $"{what} file not found");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AffectFuseException(path, $"cannot read ({e.Message})", e);
        }
        try
        {
            return JsonSerializer.Deserialize<T>(text, Strict) ?? throw new AffectFuseException(path, $"empty {what} file");
        }
        catch (JsonException e)
        {
            throw new AffectFuseException(path, $"not a valid {what} file ({e.Message})", e);
        }
    }
}
