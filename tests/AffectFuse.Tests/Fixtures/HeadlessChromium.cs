using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace AffectFuse.Tests.Fixtures;

/// <summary>Debian's Chromium, headless, showing one page, driven over the DevTools protocol (a WebSocket on
/// 127.0.0.1): <see cref="Evaluate"/> runs JavaScript in the page, <see cref="Screenshot"/> takes a PNG. Dispose kills
/// the browser with all its child processes and deletes its profile.</summary>
/// <remarks>Not <c>--dump-dom</c>: it dumps once loading ends, and a page with an open EventSource either dumps before
/// any event came (plain) or never (<c>--virtual-time-budget</c> waits for the event stream, which never finishes).
/// Polling the live DOM over the protocol sees the events as a person would. Where Chromium is missing and cannot be
/// installed, <see cref="RequireOrSkip"/> tells the test to return early, as <c>LocalSlurm</c> does.</remarks>
public sealed class HeadlessChromium : IDisposable
{
    private const string Executable = "/usr/bin/chromium";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly object InstallGate = new();

    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    /// <summary>The browser's profile folder; unique, so it also finds this browser's processes in /proc.</summary>
    public string ProfileDirectory { get; }

    /// <summary>The browser's main process id.</summary>
    public int ProcessId => _process.Id;

    private HeadlessChromium(Uri page)
    {
        ProfileDirectory = Directory.CreateTempSubdirectory("affectfuse-chromium-").FullName;
        _process = Process.Start(StartInfo(page, ProfileDirectory)) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            Attach(page);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>True when Chromium is there, installing Debian's package first when root with apt-get (setup.sh
    /// normally has). Otherwise writes why to <paramref name="output"/> and returns false; with
    /// <c>AFFECTFUSE_REQUIRE_CHROMIUM=1</c> it fails the test instead.</summary>
    public static bool RequireOrSkip(ITestOutputHelper output)
    {
        string? reason = EnsureInstalled();
        if (reason is null)
            return true;
        if (Environment.GetEnvironmentVariable("AFFECTFUSE_REQUIRE_CHROMIUM") == "1")
            Assert.Fail($"no headless Chromium (AFFECTFUSE_REQUIRE_CHROMIUM=1): {reason}");
        output.WriteLine($"skipped: no headless Chromium: {reason}");
        return false;
    }

    /// <summary>Opens <paramref name="page"/> in a new headless browser and connects to the page's DevTools target.</summary>
    public static HeadlessChromium Open(Uri page) => new(page);

    /// <summary>The value of a JavaScript expression in the page (JSON-serialisable values only).</summary>
    public JsonNode? Evaluate(string expression)
    {
        var reply = Call("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (reply["exceptionDetails"] is { } error)
            throw new InvalidOperationException($"page script failed: {error.ToJsonString()}");
        return reply["result"]?["value"]?.DeepClone();
    }

    /// <summary>Evaluates <paramref name="expression"/> until it is true; false when <paramref name="timeout"/> passes first.</summary>
    public bool WaitFor(string expression, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Evaluate(expression) is JsonValue value && value.TryGetValue(out bool done) && done)
                return true;
            Thread.Sleep(50);
        }
        return false;
    }

    /// <summary>A PNG of the page as it is shown now.</summary>
    public byte[] Screenshot() =>
        Convert.FromBase64String(Call("Page.captureScreenshot", new JsonObject { ["format"] = "png" })["data"]!.GetValue<string>());

    /// <summary>Pids of live processes whose command line names this browser's profile: the browser and its
    /// renderer, GPU and utility children. Empty after <see cref="Dispose"/>.</summary>
    public IReadOnlyList<int> RunningProcesses()
    {
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
                continue;
            try
            {
                string commandLine = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (commandLine.Contains(ProfileDirectory, StringComparison.Ordinal) && !IsZombie(dir))
                    pids.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return pids;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CloseGracefully();
        _socket.Dispose();
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(ProfileDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // Browser.close lets Chromium end and reap its own children; killing the tree at once leaves them as zombies for
    // init to collect. The kill in Dispose stays as the fallback.
    private void CloseGracefully()
    {
        if (_socket.State != WebSocketState.Open || _process.HasExited)
            return;
        try
        {
            Call("Browser.close", []);
        }
        catch (Exception e) when (e is InvalidOperationException or WebSocketException or OperationCanceledException)
        {
            // The browser closed the connection as it went, or did not answer: the kill follows.
        }
        _process.WaitForExit(5_000);
    }

    private static ProcessStartInfo StartInfo(Uri page, string profile)
    {
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // The background-networking, sync, component-update and QUIC flags keep Chromium from calling out at start (the
        // machine has no internet; without them it retries refused connections); --no-sandbox because tests run as root.
        string[] flags =
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio", "--window-size=1280,900",
            $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", page.AbsoluteUri,
        ];
        foreach (string flag in flags)
            info.ArgumentList.Add(flag);
        return info;
    }

    private void Attach(Uri page)
    {
        // Chromium's log goes nowhere, but must be read or a full pipe would stall it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        int port = DevToolsPort();
        Uri target = PageTarget(port, page);
        using var timeout = new CancellationTokenSource(StartTimeout);
        _socket.ConnectAsync(target, timeout.Token).GetAwaiter().GetResult();
    }

    // With --remote-debugging-port=0 Chromium picks a free port and writes it as the first line of this file.
    private int DevToolsPort()
    {
        string file = Path.Combine(ProfileDirectory, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"chromium exited at start with code {_process.ExitCode}");
            if (File.Exists(file) && File.ReadAllLines(file) is [string first, ..] && int.TryParse(first, out int port))
                return port;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"chromium wrote no DevToolsActivePort in {StartTimeout.TotalSeconds:0} s");
    }

    private static Uri PageTarget(int port, Uri page)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartTimeout)
        {
            var targets = http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list").GetAwaiter().GetResult() ?? [];
            var match = targets.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page"
                && (t["url"]?.GetValue<string>() ?? "").StartsWith(page.AbsoluteUri, StringComparison.Ordinal));
            if (match?["webSocketDebuggerUrl"]?.GetValue<string>() is string url)
                return new Uri(url);
            Thread.Sleep(100);
        }
        throw new TimeoutException($"chromium has no page target for {page}");
    }

    // One request, then messages until its answer; the protocol's events, which a test does not subscribe to, are few.
    private JsonNode Call(string method, JsonObject parameters)
    {
        int id = ++_nextId;
        string request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        _socket.SendAsync(Encoding.UTF8.GetBytes(request), WebSocketMessageType.Text, true, timeout.Token).GetAwaiter().GetResult();
        while (true)
        {
            var message = JsonNode.Parse(Receive(timeout.Token))!;
            if (message["id"]?.GetValue<int>() != id)
                continue;
            if (message["error"] is { } error)
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            return message["result"]!;
        }
    }

    private string Receive(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult part;
        do
        {
            part = _socket.ReceiveAsync(buffer, cancellationToken).GetAwaiter().GetResult();
            if (part.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException("chromium closed the DevTools connection");
            message.Write(buffer, 0, part.Count);
        } while (!part.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    private static bool IsZombie(string procDir) =>
        File.ReadAllText(Path.Combine(procDir, "stat")).Split(") ", 2) is [_, string rest] && rest.StartsWith('Z');

    // Null when Chromium is ready; otherwise why not.
    private static string? EnsureInstalled()
    {
        if (!OperatingSystem.IsLinux())
            return "the test drives Debian's Chromium, on Linux only";
        lock (InstallGate)
        {
            if (File.Exists(Executable))
                return null;
            if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
                return $"{Executable} is missing and this is not root with apt-get (scripts/setup.sh installs Debian's chromium)";
            return Install();
        }
    }

    private static string? Install()
    {
        var info = new ProcessStartInfo("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(InstallTimeout))
        {
            process.Kill(entireProcessTree: true);
            return $"apt-get install chromium ran over {InstallTimeout.TotalMinutes:0} min";
        }
        return process.ExitCode == 0 && File.Exists(Executable) ? null : $"apt-get install chromium failed: {error.Result.Trim()}";
    }
}
