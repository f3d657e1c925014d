using AffectFuse.Decoding;
using AffectFuse.Inference;
using AffectFuse.Tests.Pipeline;
using AffectFuse.Workflows;
using Xunit;

namespace AffectFuse.Tests.Live;

/// <summary>A file played as a live source: every frame labelled, in order, with the face and the voice as in files; the
/// labels converge to <c>predict</c>'s as the look-ahead grows; a source without sound runs face-only.</summary>
[Collection(PipelineMediaCollection.Name)]
public class LiveSessionTests(PipelineMedia media)
{

    [Fact]
    public void LiveLabelsConvergeToPredictsAsTheLookAheadGrows()
    {
        using var recognizer = Recognizer.Load();
        var offline = recognizer.Predict(media.Video);
        // A queue long enough that nothing is dropped when the test machine is busy: the comparison needs every frame.
        var source = new LiveSourceOptions { Source = media.Video, QueueSeconds = 60 };
        double full = (recognizer.Inference.Window + recognizer.Inference.SmoothingHalfWidth + 1) / (double)PipelineMedia.Fps;
        var agreement = new List<double>();
        foreach (double lookahead in new[] { 0.0, full })
        {
            var results = new List<LiveFrameResult>();
            var outcome = LiveSession.Run(recognizer, source, lookahead, results.Add);
            Assert.Equal(0, outcome.Dropped);
            Assert.Equal(Enumerable.Range(0, offline.FrameCount), results.Select(r => r.Frame));
            // Face-present and speech come from the same models as in files.
            double faceAgree = results.Count(r => r.FacePresent == offline.FacePresent[r.Frame]) / (double)results.Count;
            Assert.True(faceAgree > 0.95, $"face present agrees on {faceAgree:P1} of frames");
            Assert.True(results.Where(r => r.Time > media.Speech1.Start + 0.3 && r.Time < media.Speech1.End - 0.3).Average(r => r.SpeechProbability) > 0.5);
            agreement.Add(results.Count(r => r.Label == offline.Labels[r.Frame]) / (double)results.Count);
        }
        Assert.True(agreement[1] >= agreement[0], $"agreement with predict: {agreement[0]:P1} at L=0, {agreement[1]:P1} at L=T+δ");
        Assert.True(agreement[1] > 0.9, $"with L ≥ T+δ live agrees with predict on {agreement[1]:P1} of frames");
    }

    [Fact]
    public void ASourceWithoutSoundRunsFaceOnlyAndAFileSourceEndsWithoutAnError()
    {
        using var recognizer = Recognizer.Load();
        var results = new List<LiveFrameResult>();
        var outcome = LiveSession.Run(recognizer, new LiveSourceOptions { Source = media.Silent, QueueSeconds = 60 }, 0.2, results.Add);
        Assert.Null(outcome.EndReason);
        Assert.Equal(PipelineMedia.Frames, results.Count);
        Assert.All(results, r => Assert.True(float.IsNaN(r.SpeechProbability)));
        Assert.Equal(PipelineMedia.Frames, outcome.Prediction.FrameCount);
    }

    [Fact]
    public void ASourceThatCannotBeOpenedIsOneErrorNamingIt()
    {
        using var recognizer = Recognizer.Load();
        var e = Assert.Throws<AffectFuseException>(() => LiveSession.Run(recognizer,
            new LiveSourceOptions { Source = "udp://127.0.0.1:9?timeout=500000", StallSeconds = 1 }, 0.2, _ => { }));
        Assert.Contains("udp://127.0.0.1:9", e.Message);
    }
}
