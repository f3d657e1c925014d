using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AffectFuse.Tests.Decoding;

namespace AffectFuse.Tests.Fixtures;

/// <summary>FFmpeg sending a clip on loopback at its own rate, as a camera or an encoder on the network would (H.264 with
/// no encoder delay, AAC), and free ports to send it to.</summary>
internal static class LoopbackStream
{
    private const string Encoding = "-c:v libx264 -preset ultrafast -tune zerolatency -c:a aac";

    /// <summary>Starts sending <paramref name="seconds"/> of <paramref name="video"/> to <paramref name="output"/> (FFmpeg's
    /// output options and URL, space-separated); the caller waits for it.</summary>
    public static Process Start(string video, double seconds, string output)
    {
        var info = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-i", video, "-t", seconds.ToString(CultureInfo.InvariantCulture)])
            info.ArgumentList.Add(a);
        foreach (string a in $"{Encoding} {output}".Split(' ', StringSplitOptions.RemoveEmptyEntries))
            info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    /// <summary>Sends it and returns when it is sent; fails the test if FFmpeg fails.</summary>
    public static void Send(string video, double seconds, string output) =>
        TestMedia.Ffmpeg($"-re -i \"{video}\" -t {seconds.ToString(CultureInfo.InvariantCulture)} {Encoding} {output}");

    /// <summary>A loopback port free now, for UDP (and SRT) or for TCP.</summary>
    public static int FreePort(bool udp)
    {
        if (udp)
        {
            using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            return ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        }
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
