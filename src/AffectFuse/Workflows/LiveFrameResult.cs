using System.Text.Json;
using System.Text.Json.Serialization;

namespace AffectFuse.Workflows;

/// <summary>Where the face is in a frame, as fractions of the frame's width and height (0..1, origin top left), so a
/// page can draw it at any size without knowing the source's resolution.</summary>
/// <param name="X">Left edge, fraction of the frame width.</param>
/// <param name="Y">Top edge, fraction of the frame height.</param>
/// <param name="Width">Box width, fraction of the frame width.</param>
/// <param name="Height">Box height, fraction of the frame height.</param>
public sealed record LiveFaceBox(float X, float Y, float Width, float Height);

/// <summary>One person's label in a live frame.</summary>
/// <param name="Id">The person's id, stable while they stay (and when they come back soon enough to be recognised); 1
/// when one face is followed.</param>
/// <param name="Box">Their face box.</param>
/// <param name="Label">Their class index (<see cref="ExpressionClasses"/>).</param>
/// <param name="LabelName">Its name.</param>
/// <param name="Probabilities">Their 8 class probabilities: with every face followed, their share of the voice's
/// prediction and the rest of the prediction without it (as <c>predict --face all</c> fuses them).</param>
/// <param name="Speaking">The probability they are speaking: voice activity × their share of the voice (the voice
/// activity alone when one face is followed); NaN without sound (JSON null).</param>
public sealed record LivePerson(int Id, LiveFaceBox Box, int Label, string LabelName, float[] Probabilities,
    [property: JsonConverter(typeof(NaNAsNullConverter))] float Speaking);

/// <summary>One frame's label as a live session gives it, and its wire format: <see cref="ToJson"/> is the one place the
/// JSON line is defined (snake_case names: <c>frame, time, label, label_name, probabilities, face_present, face_box,
/// speech_probability, latency_seconds, dropped, persons</c>; a person: <c>id, box, label, label_name, probabilities,
/// speaking</c>), so <c>affectfuse live</c>'s stdout and the live page never
/// disagree.</summary>
/// <param name="Frame">Frame index in the stream (dropped frames leave gaps).</param>
/// <param name="Time">Its time in the stream, seconds: frame / rate (a reconnect's gap is not counted).</param>
/// <param name="Label">The class index (<see cref="ExpressionClasses"/>).</param>
/// <param name="LabelName">The class name.</param>
/// <param name="Probabilities">The 8 class probabilities in <see cref="ExpressionClasses"/> order, voted and smoothed
/// over what had arrived.</param>
/// <param name="FacePresent">Whether a face was tracked.</param>
/// <param name="FaceBox">The face box as fractions of the frame, or null.</param>
/// <param name="SpeechProbability">Silero VAD's speech probability at that time; NaN without sound (JSON null).</param>
/// <param name="LatencySeconds">From the frame's arrival to this result.</param>
/// <param name="Dropped">Frames dropped so far because processing fell behind.</param>
public sealed record LiveFrameResult(int Frame, double Time, int Label, string LabelName, float[] Probabilities, bool FacePresent,
    LiveFaceBox? FaceBox, [property: JsonConverter(typeof(NaNAsNullConverter))] float SpeechProbability, double LatencySeconds, long Dropped)
{
    // snake_case, one line per frame; a null face box is written out so every line has the same keys.
    /// <summary>Every face in the frame with its own label (<see cref="LivePerson"/>), by id: with <c>--face all</c>
    /// everyone tracked; otherwise the one face followed (id 1), or none. With every face followed, the frame's own
    /// label and box are those of the person seen longest so far among those present, and the voice's alone (face
    /// absent) when nobody is.</summary>
    public IReadOnlyList<LivePerson> Persons { get; init; } = [];

    /// <summary>A small JPEG of the frame (at most 320 pixels wide) on a few frames a second, for a page to show what
    /// the labels describe; null on the others. Not in the JSON line.</summary>
    [JsonIgnore]
    public byte[]? Snapshot { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
    };

    /// <summary>This result as one line of JSON (no line break inside), e.g.
    /// <c>{"frame":3,"time":0.12,"label":4,"label_name":"Happiness",...,"speech_probability":null,...}</c>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a line written by <see cref="ToJson"/> (a null speech probability becomes NaN).</summary>
    /// <exception cref="JsonException">The text is not such a line.</exception>
    public static LiveFrameResult FromJson(string json) =>
        JsonSerializer.Deserialize<LiveFrameResult>(json, JsonOptions) ?? throw new JsonException("null is not a live frame result");
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
