using System.Text.Json;
using System.Text.Json.Serialization;

namespace AffectFuse.Cli.Live;

/// <summary>Where the face is in a frame, as fractions of the frame's width and height (0..1, origin top left), so a
/// page can draw it at any size without knowing the source's resolution.</summary>
/// <param name="X">Left edge, fraction of the frame width.</param>
/// <param name="Y">Top edge, fraction of the frame height.</param>
/// <param name="Width">Box width, fraction of the frame width.</param>
/// <param name="Height">Box height, fraction of the frame height.</param>
public sealed record LiveFaceBox(float X, float Y, float Width, float Height);

/// <summary>The result for one live frame: what <c>affectfuse live</c> prints as a JSON line and what
/// <see cref="LiveServer"/> pushes to its page. <see cref="ToJson"/> and <see cref="JsonOptions"/> are the one place
/// the wire format is defined (snake_case names: <c>frame, time, label, label_name, probabilities, face_present,
/// face_box, speech_probability, latency_seconds, dropped</c>), so stdout and the page never disagree.</summary>
/// <param name="Frame">Index of the frame in the source, from 0.</param>
/// <param name="Time">The frame's time in the source, seconds.</param>
/// <param name="Label">The predicted class, index into <see cref="AffectFuse.ExpressionClasses.Names"/>.</param>
/// <param name="LabelName">The predicted class's name (Neutral, Anger, ...).</param>
/// <param name="Probabilities">The eight class probabilities in <see cref="AffectFuse.ExpressionClasses"/> order:
/// Neutral, Anger, Disgust, Fear, Happiness, Sadness, Surprise, Other.</param>
/// <param name="FacePresent">Whether a face was found in the frame.</param>
/// <param name="FaceBox">The face's box; null when no face was found.</param>
/// <param name="SpeechProbability">Probability that someone speaks at this moment (0..1); <see cref="float.NaN"/>
/// when the source has no audio, written as JSON <c>null</c>.</param>
/// <param name="LatencySeconds">Seconds from the frame's capture to this result.</param>
/// <param name="Dropped">Frames dropped so far because labelling fell behind the source.</param>
public sealed record LiveUpdate(
    int Frame,
    double Time,
    int Label,
    string LabelName,
    float[] Probabilities,
    bool FacePresent,
    LiveFaceBox? FaceBox,
    [property: JsonConverter(typeof(NaNAsNullConverter))] float SpeechProbability,
    double LatencySeconds,
    long Dropped)
{
    /// <summary>The serialiser settings of the wire format: snake_case names, compact (one line per update), null
    /// face box written out rather than left away so every line has the same keys.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    /// <summary>Whether the source has audio for this frame (<see cref="SpeechProbability"/> is not NaN).</summary>
    [JsonIgnore]
    public bool HasSpeech => !float.IsNaN(SpeechProbability);

    /// <summary>This update as one line of JSON (no line break inside), e.g.
    /// <c>{"frame":3,"time":0.12,"label":4,"label_name":"Happiness",...,"speech_probability":null,...}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads an update written by <see cref="ToJson"/> (a null speech probability becomes NaN).</summary>
    /// <exception cref="JsonException">The text is not such an update.</exception>
    public static LiveUpdate FromJson(string json) =>
        JsonSerializer.Deserialize<LiveUpdate>(json, JsonOptions) ?? throw new JsonException("null is not a live update");
}

/// <summary>NaN (no audio) as JSON null, and back: JSON has no NaN, and null says "no value" to any reader.</summary>
internal sealed class NaNAsNullConverter : JsonConverter<float>
{
    public override bool HandleNull => true;

    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
    {
        if (float.IsNaN(value))
            writer.WriteNullValue();
        else
            writer.WriteNumberValue(value);
    }
}
