using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AffectFuse.Live;
using AffectFuse.Workflows;
using Xunit;
using Xunit.Abstractions;
using AffectFuse.Tests.Fixtures;

namespace AffectFuse.Tests.Live;

/// <summary>The live page's server: its endpoints over HTTP, its loopback-only binding, slow clients, and the page
/// itself in headless Chromium fed by a timer as <c>affectfuse live</c> would feed it.</summary>
public sealed class LiveServerTests(ITestOutputHelper output)
{
    private static readonly string[] WireNames =
        ["frame", "time", "label", "label_name", "probabilities", "face_present", "face_box", "speech_probability", "latency_seconds", "dropped", "persons"];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Update <paramref name="frame"/> of a made-up stream: the label changes every 3 frames, and the face
    /// and the speech come and go as the arguments say; a second person (a frame later in the label cycle) when
    /// <paramref name="two"/>.</summary>
    internal static LiveFrameResult Update(int frame, bool face = true, float speech = 0.83f, bool two = false)
    {
        int label = frame / 3 % ExpressionClasses.Count;
        var probabilities = Probabilities(label);
        var box = face ? new LiveFaceBox(0.30f + frame % 5 * 0.02f, 0.2f, 0.35f, 0.5f) : null;
        List<LivePerson> persons = box is null ? [] : [new LivePerson(1, box, label, ExpressionClasses.Names[label], probabilities, speech)];
        if (two && box is not null)
        {
            int other = (label + 1) % ExpressionClasses.Count;
            persons.Add(new LivePerson(2, box with { X = 0.7f }, other, ExpressionClasses.Names[other], Probabilities(other), 0.05f));
        }
        return new LiveFrameResult(frame, frame / 25.0, label, ExpressionClasses.Names[label], probabilities, face, box, speech, 0.040 + frame % 4 * 0.001, frame / 10)
        {
            Persons = persons,
        };
    }

    private static float[] Probabilities(int label)
    {
        var probabilities = Enumerable.Repeat(0.3f / (ExpressionClasses.Count - 1), ExpressionClasses.Count).ToArray();
        probabilities[label] = 0.7f;
        return probabilities;
    }

    [Fact]
    public void ListensOnLoopbackOnlyAndPicksAFreePort()
    {
        using var server = new LiveServer(0);
        server.Start();
        Assert.NotNull(server.Url);
        Assert.Equal("127.0.0.1", server.Url.Host);
        int port = server.Url.Port;
        Assert.NotEqual(0, port);
        using (var local = new TcpClient())
            local.Connect(IPAddress.Loopback, port);
        // 127.0.0.2 is loopback too, and reaches any server bound to 0.0.0.0: refused only when 127.0.0.1 alone is bound.
        // IPv6 loopback is refused as well, so "localhost" was not what got bound.
        AssertRefused(IPAddress.Parse("127.0.0.2"), port);
        if (Socket.OSSupportsIPv6)
            AssertRefused(IPAddress.IPv6Loopback, port);
    }

    [Fact]
    public async Task LatestIsEmptyBeforeTheFirstUpdateThenTheLastOneWithTheWireNames()
    {
        await using var server = new LiveServer();
        server.Start();
        using var http = Client(server);
        using (var before = await http.GetAsync("latest"))
            Assert.Equal(HttpStatusCode.NoContent, before.StatusCode);
        server.Publish(Update(0));
        server.Publish(Update(1));
        server.Publish(Update(2, face: false, speech: float.NaN));
        using var latest = await http.GetAsync("latest");
        Assert.Equal("application/json", latest.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await latest.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(WireNames, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, root.GetProperty("frame").GetInt32());
        Assert.Equal(ExpressionClasses.Count, root.GetProperty("probabilities").GetArrayLength());
        Assert.False(root.GetProperty("face_present").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("face_box").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("speech_probability").ValueKind);
    }

    [Fact]
    public async Task TheLatestFramePictureIsServedWithItsFrameNumber()
    {
        await using var server = new LiveServer();
        server.Start();
        using var http = Client(server);
        using (var before = await http.GetAsync("snapshot"))
            Assert.Equal(HttpStatusCode.NoContent, before.StatusCode);
        byte[] jpeg = Jpeg();
        server.Publish(Update(4) with { Snapshot = jpeg });
        server.Publish(Update(5)); // no picture: the last one stays
        using var snapshot = await http.GetAsync("snapshot");
        Assert.Equal("image/jpeg", snapshot.Content.Headers.ContentType?.MediaType);
        Assert.Equal("4", Assert.Single(snapshot.Headers.GetValues("X-Frame")));
        Assert.Equal(jpeg, await snapshot.Content.ReadAsByteArrayAsync());
    }

    // A 64 × 48 picture, half of it red.
    private static byte[] Jpeg()
    {
        using var image = new OpenCvSharp.Mat(48, 64, OpenCvSharp.MatType.CV_8UC3, OpenCvSharp.Scalar.Gray);
        image[new OpenCvSharp.Rect(0, 0, 32, 48)].SetTo(OpenCvSharp.Scalar.Red);
        return image.ImEncode(".jpg");
    }

    [Fact]
    public async Task PageAndHealthAreServed()
    {
        await using var server = new LiveServer();
        server.Start();
        using var http = Client(server);
        using var page = await http.GetAsync("");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        foreach (string id in new[] { "label", "timeline", "face", "speech", "latency", "dropped", "count" })
            Assert.Contains($"id=\"{id}\"", html);
        Assert.Contains("\"Neutral\",\"Anger\",\"Disgust\",\"Fear\",\"Happiness\",\"Sadness\",\"Surprise\",\"Other\"", html);
        // Self-contained: no address other than its own event stream.
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        server.Publish(Update(0));
        using var health = JsonDocument.Parse(await http.GetStringAsync("health"));
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, health.RootElement.GetProperty("published").GetInt64());
    }

    [Fact]
    public async Task EventsArriveInOrderAsOneDataLineEachAndEndWhenTheServerStops()
    {
        await using var server = new LiveServer();
        server.Start();
        using var http = Client(server);
        using var response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        WaitUntil(() => server.ClientCount == 1, "the event stream to register");
        const int count = 30;
        var publishing = PublishOnTimer(server, Enumerable.Range(0, count).Select(i => Update(i, face: i % 4 != 0, speech: i % 5 == 0 ? float.NaN : i / 30f)), TimeSpan.FromMilliseconds(5));
        var received = await ReadEvents(reader, count);
        await publishing;
        Assert.Equal(Enumerable.Range(0, count), received.Select(u => u.Frame));
        Assert.All(received, u => Assert.Equal(u.Frame % 5 == 0, float.IsNaN(u.SpeechProbability)));
        Assert.All(received, u => Assert.Equal(u.Frame % 4 != 0, u.FaceBox is not null));
        var clock = Stopwatch.StartNew();
        await server.StopAsync();
        // What is left is the last event's blank line, then the end of the stream.
        Assert.Equal("", (await reader.ReadToEndAsync().WaitAsync(Patience)).Trim());
        // A hang check, not a speed claim: a connected page must not keep the server from stopping.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"stopping with a page connected took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task AnIdleEventStreamGetsKeepAliveCommentsAndThenTheNextEvent()
    {
        await using var server = new LiveServer { KeepAlive = TimeSpan.FromMilliseconds(200) };
        server.Start();
        using var http = Client(server);
        using var response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        WaitUntil(() => server.ClientCount == 1, "the event stream to register");
        // Nothing published (a stalled source): comment lines keep the connection alive, and an event still follows.
        var lines = new List<string>();
        while (lines.Count(l => l == ": keep-alive") < 2)
            lines.Add((await reader.ReadLineAsync().WaitAsync(Patience))!);
        server.Publish(Update(7, face: true, speech: 0.5f));
        string? line;
        while ((line = await reader.ReadLineAsync().WaitAsync(Patience)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
        Assert.Equal(7, LiveFrameResult.FromJson(line![6..]).Frame);
    }

    [Fact]
    public async Task ASlowClientLosesItsOldestEventsWithoutHoldingBackThePublisherOrOtherPages()
    {
        await using var server = new LiveServer();
        server.Start();
        using var slow = SlowClient(server.Url!);
        using var http = Client(server);
        using var response = await http.GetAsync("events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        WaitUntil(() => server.ClientCount == 2, "both event streams to register");
        var fast = Task.Run(() => ReadUntilFrame(reader, 39_999));
        // ~300 bytes an event: 40,000 are ~12 MB, more than the slow client's socket buffers and Kestrel's hold.
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 40_000; i++)
            server.Publish(Update(i));
        var elapsed = clock.Elapsed;
        Assert.True(await fast.WaitAsync(Patience), "the reading page missed the last event");
        output.WriteLine($"40,000 publishes: {elapsed.TotalMilliseconds:0} ms; dropped (both pages, the reading one falls behind too): {server.DroppedEvents}");
        // Not a speed claim (the figure is printed above): a publisher held back by the slow page would wait for it forever.
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"publishing took {elapsed.TotalSeconds:0.0} s: a slow client held it back");
        Assert.True(server.DroppedEvents > 0, "the slow client lost nothing: the test did not fill its buffers");
        using var health = JsonDocument.Parse(await http.GetStringAsync("health"));
        Assert.Equal(server.DroppedEvents, health.RootElement.GetProperty("dropped_events").GetInt64());
        // A page stuck mid-write must not keep the server from stopping either.
        int pages = server.ClientCount;
        var stop = Stopwatch.StartNew();
        await server.StopAsync();
        output.WriteLine($"stop with {pages} pages connected: {stop.ElapsedMilliseconds} ms");
        // Not a speed claim either: a stuck page must not keep the server from stopping at all (Kestrel's grace ends it).
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(30), $"stopping took {stop.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task ThePageShowsTheUpdatesInHeadlessChromium()
    {
        if (!HeadlessChromium.RequireOrSkip(output))
            return;
        var clock = Stopwatch.StartNew();
        await using var server = new LiveServer();
        server.Start();
        var browser = HeadlessChromium.Open(server.Url!);
        try
        {
            WaitUntil(() => server.ClientCount == 1, "the page to open its event stream");
            // 50 updates at 20 ms, labels changing every 3 frames, face and speech coming and going; the last one has
            // a face and speech.
            var first = Enumerable.Range(0, 50).Select(i => Update(i, face: i % 7 != 3, speech: i % 10 >= 7 ? float.NaN : 0.1f + i % 10 * 0.1f)).ToList();
            first[^1] = Update(49, face: true, speech: 0.83f);
            await PublishOnTimer(server, first, TimeSpan.FromMilliseconds(20));
            AssertPageShows(browser, first[^1], 50, "face", "speaking 0.83");
            // Two people, and a picture of the frame: the page draws it under both boxes.
            var pictured = Update(50, two: true) with { Snapshot = Jpeg() };
            await PublishOnTimer(server, [pictured], TimeSpan.FromMilliseconds(20));
            AssertPageShows(browser, pictured, 51, "2 faces", "speaking 0.83");
            Assert.True(browser.WaitFor("typeof snapshot !== 'undefined' && snapshot !== null && snapshot.frame === 50", Patience),
                "the page did not fetch the frame's picture");
            // Then the face and the audio go away.
            var second = Enumerable.Range(51, 5).Select(i => Update(i, face: false, speech: float.NaN)).ToList();
            await PublishOnTimer(server, second, TimeSpan.FromMilliseconds(20));
            AssertPageShows(browser, second[^1], 56, "no face", "no audio");
            SaveScreenshot(browser);
        }
        finally
        {
            browser.Dispose();
        }
        Assert.Empty(browser.RunningProcesses());
        output.WriteLine($"chromium test: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private void AssertPageShows(HeadlessChromium browser, LiveFrameResult last, int published, string face, string speech)
    {
        bool caughtUp = browser.WaitFor($"document.getElementById('frame').textContent.startsWith('frame {last.Frame} ')", Patience);
        var dom = browser.Evaluate("""
            (() => { const t = id => document.getElementById(id).textContent;
                     return { label: t('label'), count: +t('count'), face: t('face-status'), speech: t('speech'),
                              latency: t('latency'), dropped: t('dropped'), status: t('status') }; })()
            """)!;
        output.WriteLine($"page after frame {last.Frame}: {dom.ToJsonString()}");
        Assert.True(caughtUp, $"the page did not show frame {last.Frame}");
        Assert.Equal(last.LabelName, dom["label"]!.GetValue<string>());
        Assert.True(dom["count"]!.GetValue<double>() >= published, "the page counted fewer updates than were published");
        Assert.Equal(face, dom["face"]!.GetValue<string>());
        Assert.Equal(speech, dom["speech"]!.GetValue<string>());
        Assert.Equal($"{last.LatencySeconds * 1000:0} ms", dom["latency"]!.GetValue<string>());
        Assert.Equal(last.Dropped.ToString(), dom["dropped"]!.GetValue<string>());
        Assert.Equal("live", dom["status"]!.GetValue<string>());
    }

    // AFFECTFUSE_LIVE_SCREENSHOT=path keeps a picture of the page, to look at it as a person would.
    private void SaveScreenshot(HeadlessChromium browser)
    {
        string? path = Environment.GetEnvironmentVariable("AFFECTFUSE_LIVE_SCREENSHOT");
        if (string.IsNullOrEmpty(path))
            return;
        File.WriteAllBytes(path, browser.Screenshot());
        output.WriteLine($"screenshot: {path}");
    }

    private static HttpClient Client(LiveServer server) => new() { BaseAddress = server.Url, Timeout = Patience };

    private static async Task PublishOnTimer(LiveServer server, IEnumerable<LiveFrameResult> updates, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        foreach (var update in updates)
        {
            await timer.WaitForNextTickAsync();
            server.Publish(update);
        }
    }

    private static async Task<List<LiveFrameResult>> ReadEvents(StreamReader reader, int count)
    {
        var events = new List<LiveFrameResult>();
        while (events.Count < count)
        {
            string line = await reader.ReadLineAsync().WaitAsync(Patience) ?? throw new EndOfStreamException("the event stream ended");
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add(LiveFrameResult.FromJson(line["data: ".Length..]));
            else
                Assert.True(line.Length == 0 || line.StartsWith("retry: ", StringComparison.Ordinal), $"unexpected event-stream line: {line}");
        }
        return events;
    }

    private static bool ReadUntilFrame(StreamReader reader, int frame)
    {
        string marker = $"data: {{\"frame\":{frame},";
        for (string? line; (line = reader.ReadLine()) is not null;)
            if (line.StartsWith(marker, StringComparison.Ordinal))
                return true;
        return false;
    }

    // A page that asks for the stream and then never reads: a tiny receive buffer so it fills at once.
    private static Socket SlowClient(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        socket.Connect(IPAddress.Loopback, url.Port);
        socket.Send(Encoding.ASCII.GetBytes($"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{url.Port}\r\n\r\n"));
        return socket;
    }

    private static void AssertRefused(IPAddress address, int port)
    {
        using var client = new TcpClient(address.AddressFamily);
        var error = Assert.Throws<SocketException>(() => client.Connect(address, port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }
}
