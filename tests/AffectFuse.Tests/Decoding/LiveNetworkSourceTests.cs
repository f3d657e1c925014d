using System.Diagnostics;
using AffectFuse.Decoding;
using AffectFuse.Workflows;
using Xunit;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Decoding;

/// <summary>Network sources on loopback, each fed by FFmpeg as a camera or an encoder would: the session reads the stream
/// from its first packet over one connection (nothing probes it first), so a stream whose only key frame is its first,
/// a server that takes one client, and an SRT caller all give every frame sent: labelled, or dropped and counted
/// (a live session drops frames when the machine cannot keep up, as a loaded CI runner often cannot).</summary>
[Collection(PipelineMediaCollection.Name)]
public class LiveNetworkSourceTests(PipelineMedia media)
{
    private const double Seconds = 2;
    private static readonly int Sent = (int)(Seconds * PipelineMedia.Fps);

    [Fact]
    public void AUdpStreamWithOneKeyFrameIsReadFromItsFirstFrame()
    {
        int port = LoopbackStream.FreePort(udp: true);
        // x264's default key-frame interval (250 frames): a reader that joined after the first would see nothing here.
        var frames = Session($"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1", listenFirst: true,
            () => Publish($"-g 250 -f mpegts udp://127.0.0.1:{port}?pkt_size=1316"), out var outcome);
        // Every frame sent but the few the decoder still holds when the stream stalls (UDP has no end) and the run ends.
        Assert.True(frames + outcome.Dropped >= Sent - 4, $"{frames} labelled + {outcome.Dropped} dropped of {Sent} frames");
        Assert.Contains("stalled", outcome.EndReason);
    }

    [Fact]
    public void AReaderJoiningARunningStreamWaitsPastTheStallTimeForItsNextKeyFrame()
    {
        int port = LoopbackStream.FreePort(udp: true);
        // Key frames every 4 s, joined 1.5 s in: the first frame comes 2.5 s after connecting, past the 2-s stall time.
        var frames = Session($"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1", listenFirst: false,
            () => Publish($"-g 100 -f mpegts udp://127.0.0.1:{port}?pkt_size=1316", seconds: 8), out var outcome, stallSeconds: 2, joinAfter: 1500);
        // From the key frame at 4 s to the end at 8 s.
        Assert.True(frames + outcome.Dropped >= 4 * PipelineMedia.Fps - 8, $"{frames} labelled + {outcome.Dropped} dropped");
        Assert.Contains("stalled", outcome.EndReason);
    }

    [Fact]
    public void AnHttpServerThatTakesOneClientIsReadOverThatOneConnection()
    {
        int port = LoopbackStream.FreePort(udp: false);
        // The publisher is the server: it waits for its one client, then sends from the start and ends the stream.
        var frames = Session($"http://127.0.0.1:{port}/live.ts", listenFirst: false,
            () => Publish($"-g 250 -f mpegts -listen 1 http://127.0.0.1:{port}/live.ts"), out var outcome);
        Assert.True(frames + outcome.Dropped >= Sent - 4, $"{frames} labelled + {outcome.Dropped} dropped of {Sent} frames");
        Assert.Null(outcome.EndReason);
    }

    [Fact]
    public void AnSrtCallerReadsAListeningSender()
    {
        int port = LoopbackStream.FreePort(udp: true);
        var frames = Session($"srt://127.0.0.1:{port}", listenFirst: false,
            () => Publish($"-g 250 -f mpegts srt://127.0.0.1:{port}?mode=listener"), out var outcome);
        Assert.True(frames + outcome.Dropped >= Sent - 4, $"{frames} labelled + {outcome.Dropped} dropped of {Sent} frames");
        Assert.True(outcome.EndReason is null || outcome.EndReason.Contains("stalled"), outcome.EndReason);
    }

    // Runs a session on the source while the publisher sends; the publisher starts after the session listens (UDP) or
    // before it connects (a server); the session is stopped once the stream has had time to end or stall.
    private static int Session(string url, bool listenFirst, Func<Process> publish, out LiveOutcome outcome, double stallSeconds = 3, int joinAfter = 500)
    {
        using var recognizer = Recognizer.Load();
        recognizer.PrepareExtraction();
        var source = new LiveSourceOptions { Source = url, StallSeconds = stallSeconds };
        int count = 0;
        LiveOutcome? result = null;
        Exception? failure = null;
        using var stop = new CancellationTokenSource();
        var session = new Thread(() =>
        {
            try { result = LiveSession.Run(recognizer, source, 0.2, _ => Interlocked.Increment(ref count), stop.Token); }
            catch (Exception e) { failure = e; }
        });
        Process publisher;
        if (listenFirst)
        {
            session.Start();
            Thread.Sleep(1000);
            publisher = publish();
        }
        else
        {
            publisher = publish();
            Thread.Sleep(joinAfter);
            session.Start();
        }
        using (publisher)
        {
            Assert.True(publisher.WaitForExit(TimeSpan.FromSeconds(30)), "the publisher did not finish");
            Assert.True(session.Join(TimeSpan.FromSeconds(15)) || Stop(stop, session), "the session did not end");
        }
        Assert.Null(failure);
        outcome = result!;
        Assert.Equal(count, outcome.Prediction.FrameCount);
        return count;
    }

    private static bool Stop(CancellationTokenSource stop, Thread session)
    {
        stop.Cancel();
        return session.Join(TimeSpan.FromSeconds(15));
    }

    private Process Publish(string output, double seconds = Seconds) => LoopbackStream.Start(media.Video, seconds, output);
}
