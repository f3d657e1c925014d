using System.Text.Json;
using System.Text.Json.Serialization;

namespace AffectFuse.IO;

/// <summary>The one JSON style for options files (beside checkpoints, inside them and in exports): indented, property names
/// as in C#, enums as names, so a person can read and edit them and a run can be reproduced from them.</summary>
public static class OptionsJson
{
    /// <summary>Serializer settings.</summary>
    public static readonly JsonSerializerOptions Settings = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
