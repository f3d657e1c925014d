using System.Text.Json;
using AffectFuse.Tests.Live;
using AffectFuse.Workflows;
using Xunit;

namespace AffectFuse.Tests.Workflows;

/// <summary>The wire format of a live frame result, shared by the JSON lines on stdout and the page's events.</summary>
public sealed class LiveFrameResultTests
{
    [Fact]
    public void WritesOneSnakeCaseLineAndReadsItBack()
    {
        var update = LiveServerTests.Update(7);
        string json = update.ToJson();
        Assert.DoesNotContain('\n', json);
        Assert.StartsWith("{\"frame\":7,\"time\":0.28,\"label\":2,\"label_name\":\"Disgust\",\"probabilities\":[", json);
        Assert.Contains("\"face_box\":{\"x\":", json);
        Assert.Contains("\"speech_probability\":0.83,", json);
        var back = LiveFrameResult.FromJson(json);
        Assert.Equal(update.Probabilities, back.Probabilities);
        Assert.Equal(update with { Probabilities = back.Probabilities, Persons = back.Persons }, back);
    }

    [Fact]
    public void EveryPersonIsOneObjectWithIdBoxLabelAndSpeaking()
    {
        var update = LiveServerTests.Update(7, two: true) with { Snapshot = [1, 2, 3] };
        string json = update.ToJson();
        Assert.Contains("\"persons\":[{\"id\":1,\"box\":{\"x\":", json);
        Assert.DoesNotContain("snapshot", json); // the picture goes to the page, not into the line
        using var parsed = JsonDocument.Parse(json);
        var persons = parsed.RootElement.GetProperty("persons");
        Assert.Equal(2, persons.GetArrayLength());
        Assert.Equal(["id", "box", "label", "label_name", "probabilities", "speaking"], persons[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.05, persons[1].GetProperty("speaking").GetDouble(), 1e-6);
        var back = LiveFrameResult.FromJson(json);
        Assert.Equal(update.Persons.Select(p => (p.Id, p.Box, p.Label, p.LabelName)), back.Persons.Select(p => (p.Id, p.Box, p.Label, p.LabelName)));
        Assert.Equal(update.Persons[1].Probabilities, back.Persons[1].Probabilities);
        var silent = LiveServerTests.Update(3, speech: float.NaN).ToJson();
        Assert.Contains("\"speaking\":null", silent);
        Assert.True(float.IsNaN(LiveFrameResult.FromJson(silent).Persons[0].Speaking));
    }

    [Fact]
    public void NoAudioIsNullAndNoFaceHasNoBox()
    {
        var update = LiveServerTests.Update(3, face: false, speech: float.NaN);
        using var json = JsonDocument.Parse(update.ToJson());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("speech_probability").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("face_box").ValueKind);
        var back = LiveFrameResult.FromJson(update.ToJson());
        Assert.True(float.IsNaN(back.SpeechProbability));
        Assert.Null(back.FaceBox);
    }
}
