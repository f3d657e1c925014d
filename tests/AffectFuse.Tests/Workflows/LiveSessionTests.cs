using AffectFuse.Audio;
using AffectFuse.Decoding;
using AffectFuse.Inference;
using AffectFuse.Workflows;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Workflows;

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
        // A file not played in real time is read as fast as it is processed: the default 3-s queue drops nothing.
        var source = new LiveSourceOptions { Source = media.Video };
        double full = (recognizer.Inference.Window + recognizer.Inference.SmoothingHalfWidth + 1) / (double)PipelineMedia.Fps
                      + AudioFeatureStream.FullHorizonSeconds(recognizer.Pipeline.AudioOptions);
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
        var outcome = LiveSession.Run(recognizer, new LiveSourceOptions { Source = media.Silent }, 0.2, results.Add);
        Assert.Null(outcome.EndReason);
        Assert.Equal(PipelineMedia.Frames, results.Count);
        Assert.All(results, r => Assert.True(float.IsNaN(r.SpeechProbability)));
        Assert.Equal(PipelineMedia.Frames, outcome.Prediction.FrameCount);
    }

    [Fact]
    public void AStopEndsASessionWaitingOnANetworkSourceAndKeepsWhatArrived()
    {
        using var recognizer = Recognizer.Load();
        int port = LoopbackStream.FreePort(udp: true);
        var source = new LiveSourceOptions
        {
            Source = $"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1",
            StallSeconds = 30,
        };
        var results = new List<LiveFrameResult>();
        using var stop = new CancellationTokenSource();
        LiveOutcome? outcome = null;
        var session = new Thread(() => outcome = LiveSession.Run(recognizer, source, 0.2, r => { lock (results) results.Add(r); }, stop.Token));
        session.Start();
        Thread.Sleep(1000);
        Publish(port, seconds: 2);
        // The sender is gone and the reader waits for more (up to its 30-s stall time): a Ctrl-C must end it now.
        Thread.Sleep(1000);
        stop.Cancel();
        Assert.True(session.Join(TimeSpan.FromSeconds(15)), "the session did not end on the stop");
        Assert.NotNull(outcome);
        Assert.Null(outcome.EndReason);
        lock (results)
        {
            Assert.NotEmpty(results);
            Assert.Equal(results.Count, outcome.Prediction.FrameCount);
            Assert.Equal(results.Select(r => r.Frame).Order(), results.Select(r => r.Frame));
        }
    }

    [Fact]
    public void AReconnectingNetworkSourceLabelsBothBroadcastsAcrossAGap()
    {
        using var recognizer = Recognizer.Load();
        int port = LoopbackStream.FreePort(udp: true);
        var source = new LiveSourceOptions
        {
            Source = $"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1",
            StallSeconds = 2.5,
            Reconnect = true,
        };
        var results = new List<LiveFrameResult>();
        var notices = new List<string>();
        using var stop = new CancellationTokenSource();
        LiveOutcome? outcome = null;
        using var reconnecting = new ManualResetEventSlim();
        var session = new Thread(() => outcome = LiveSession.Run(recognizer, source, 0.2, r => { lock (results) results.Add(r); }, stop.Token,
            n => { lock (notices) notices.Add(n); reconnecting.Set(); }));
        session.Start();
        Thread.Sleep(1000);
        Publish(port, seconds: 2);
        int first;
        // The sender is gone: after the 2.5-s stall the segment ends and the reader listens again 1 s later.
        Assert.True(reconnecting.Wait(TimeSpan.FromSeconds(15)), "no stall was noticed");
        Thread.Sleep(1500);
        lock (results)
            first = results.Count;
        Publish(port, seconds: 2);
        Thread.Sleep(3000);
        stop.Cancel();
        Assert.True(session.Join(TimeSpan.FromSeconds(20)), "the session did not end on the stop");
        Assert.NotNull(outcome);
        Assert.True(outcome.Reconnects >= 1, $"{outcome.Reconnects} reconnects");
        lock (notices)
            Assert.True(notices.Any(n => n.Contains("stalled") && n.Contains("reconnecting in 1 s")), string.Join(" | ", notices));
        int perBroadcast = 2 * PipelineMedia.Fps;
        lock (results)
        {
            // The first broadcast but the few frames the decoder still held at the stall, most of the second (the
            // reader joins it at a key frame); frames stay in order.
            Assert.True(first >= perBroadcast - 4, $"{first} of the first broadcast's {perBroadcast} frames labelled");
            Assert.True(results.Count - first >= perBroadcast / 2, $"{results.Count - first} of the second broadcast's {perBroadcast} frames labelled; {string.Join(" | ", notices)}");
            Assert.Equal(results.Select(r => r.Frame).Order(), results.Select(r => r.Frame));
            // The frames before the gap were settled when the stall was noticed, not when the next broadcast came.
            Assert.All(results.Take(first), r => Assert.True(r.LatencySeconds < source.StallSeconds + 1, $"frame {r.Frame}: {r.LatencySeconds:0.00} s"));
        }
    }

    // The talking-face clip, sent to the port as a network camera would.
    private void Publish(int port, double seconds) =>
        LoopbackStream.Send(media.Video, seconds, $"-g 25 -f mpegts udp://127.0.0.1:{port}?pkt_size=1316");

    [Fact]
    public void ASourceThatCannotBeOpenedIsOneErrorNamingIt()
    {
        using var recognizer = Recognizer.Load();
        var e = Assert.Throws<AffectFuseException>(() => LiveSession.Run(recognizer,
            new LiveSourceOptions { Source = "udp://127.0.0.1:9?timeout=500000", StallSeconds = 1 }, 0.2, _ => { }));
        Assert.Contains("udp://127.0.0.1:9", e.Message);
    }
}
