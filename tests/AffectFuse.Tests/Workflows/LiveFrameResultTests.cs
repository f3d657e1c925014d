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
        Assert.Equal(update with { Probabilities = back.Probabilities }, back);
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
