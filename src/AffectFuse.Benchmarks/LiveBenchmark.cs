using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AffectFuse.Decoding;
using AffectFuse.Workflows;

namespace AffectFuse.Benchmarks;

/// <summary>What <c>bench live</c> measured.</summary>
/// <param name="Clip">The clip played.</param>
/// <param name="Width">Frame width sent.</param>
/// <param name="Height">Frame height sent.</param>
/// <param name="Fps">Frame rate sent.</param>
/// <param name="LookaheadSeconds">The look-ahead asked for.</param>
/// <param name="Frames">Frames labelled.</param>
/// <param name="Timed">Of those, the frames labelled while the publisher was still sending, which the latency figures
/// cover: the last ones wait for the end of the stream to be noticed, an artefact of a stream that ends.</param>
/// <param name="Dropped">Frames dropped because processing fell behind.</param>
/// <param name="MedianLatencySeconds">Median glass-to-label latency: from the frame's send time to its result.</param>
/// <param name="P95LatencySeconds">Its 95th percentile.</param>
/// <param name="MedianArrivalLatencySeconds">Median from the frame's arrival here to its result (the part this program adds).</param>
/// <param name="CpuMillisecondsPerFrame">Process CPU time per labelled frame (all threads, FFmpeg excluded).</param>
/// <param name="LoadAverage">1-minute load average at the end (how quiet the machine was).</param>
public sealed record LiveBenchmarkReport(string Clip, int Width, int Height, double Fps, double LookaheadSeconds, int Frames, int Timed, long Dropped,
    double MedianLatencySeconds, double P95LatencySeconds, double MedianArrivalLatencySeconds, double CpuMillisecondsPerFrame, double LoadAverage);

/// <summary>Plays a clip into a loopback UDP stream at its own rate (FFmpeg publishes it as MPEG-TS, H.264 + AAC) and runs
/// a live session on it, timing each frame from when the publisher sent it to when its label came out.</summary>
/// <remarks>The session listens before the publisher starts, without probing, so the first frame it labels is the first
/// frame sent; frame i is sent at the publisher's start + i / fps (FFmpeg's -re), so the latency includes the publisher's
/// own start-up and errs high, not low.</remarks>
public static class LiveBenchmark
{
    /// <summary>Runs the benchmark: <paramref name="seconds"/> of <paramref name="clip"/> at 640×480 and <paramref name="fps"/>.</summary>
    public static LiveBenchmarkReport Run(Recognizer recognizer, string clip, double seconds, double lookaheadSeconds, double fps = 25,
        Action<string>? log = null)
    {
        IO.InputFile.RequireContent(clip, "video file");
        const int width = 640, height = 480;
        int port = FreeUdpPort();
        string url = $"udp://127.0.0.1:{port}?fifo_size=1000000&overrun_nonfatal=1&timeout=2000000";
        var source = new LiveSourceOptions { Source = url, StallSeconds = 10 };
        var latencies = new List<double>();
        var arrivals = new List<double>();
        long published = 0, ended = long.MaxValue;
        var timed = new List<double>();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        LiveOutcome? outcome = null;
        var session = new Thread(() => outcome = LiveSession.Run(recognizer, source, lookaheadSeconds, r =>
        {
            // Frame i was sent at the publisher's start + i / fps.
            double latency = Stopwatch.GetElapsedTime(Interlocked.Read(ref published)).TotalSeconds - r.Frame / fps;
            latencies.Add(latency);
            if (Stopwatch.GetTimestamp() < Interlocked.Read(ref ended))
            {
                timed.Add(latency);
                arrivals.Add(r.LatencySeconds);
            }
        })) { Name = "affectfuse-bench-live" };
        session.Start();
        Thread.Sleep(1000); // the reader's FFmpeg is listening on the port
        log?.Invoke($"publishing {clip} to {url}");
        using (var publisher = Publish(clip, port, seconds, fps, width, height))
        {
            Interlocked.Exchange(ref published, Stopwatch.GetTimestamp());
            publisher.WaitForExit();
            Interlocked.Exchange(ref ended, Stopwatch.GetTimestamp());
        }
        session.Join();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var o = outcome ?? throw new AffectFuseException(clip, "the live session produced no result");
        return new LiveBenchmarkReport(clip, width, height, fps, lookaheadSeconds, latencies.Count, timed.Count, o.Dropped, Quantile(timed, 0.5),
            Quantile(timed, 0.95), Quantile(arrivals, 0.5), latencies.Count > 0 ? cpu.TotalMilliseconds / latencies.Count : double.NaN,
            ModelBenchmark.LoadAverage());
    }

    private static Process Publish(string clip, int port, double seconds, double fps, int width, int height)
    {
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // A live encoder's settings: no x264 look-ahead (zerolatency), and no MPEG-TS mux delay (its 0.7-s default
        // holds packets back at the sender, which is the publisher's latency, not the reader's).
        string inv(double v) => v.ToString(CultureInfo.InvariantCulture);
        foreach (string a in new[]
                 {
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-i", clip, "-t", inv(seconds),
                     "-vf", $"scale={width}:{height},fps={inv(fps)}", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", inv(fps),
                     "-c:a", "aac", "-ar", "48000", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", $"udp://127.0.0.1:{port}?pkt_size=1316",
                 })
            info.ArgumentList.Add(a);
        var p = Process.Start(info) ?? throw new AffectFuseException(clip, "ffmpeg did not start");
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    private static int FreeUdpPort()
    {
        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
    }

    private static double Quantile(List<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Length) - 1))];
    }
}
