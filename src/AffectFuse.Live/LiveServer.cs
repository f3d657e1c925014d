using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using AffectFuse.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AffectFuse.Live;

/// <summary>The live page (of <c>affectfuse live --serve PORT</c>, or of any application that runs a
/// <see cref="LiveSession"/>): a Kestrel server on 127.0.0.1 that shows each
/// <see cref="LiveFrameResult"/> as it is published. <c>GET /</c> is a self-contained page (inline CSS and JS, nothing
/// fetched from elsewhere), <c>GET /events</c> a server-sent-event stream with one <c>data: {json}</c> per update,
/// <c>GET /latest</c> the last update as JSON (204 before the first), <c>GET /snapshot</c> the latest frame picture an update
/// carried (JPEG, its frame number in <c>X-Frame</c>; 204 before the first), <c>GET /health</c> a small status object.</summary>
/// <remarks>Only loopback is bound: the page shows a camera's analysis and has no authentication, so it must not be
/// reachable from the network. <see cref="Publish"/> never waits for a client: each page has a bounded queue of
/// <see cref="ClientQueueLength"/> events, and a page that reads too slowly loses its oldest events (counted in
/// <see cref="DroppedEvents"/>) rather than holding back the labelling loop or the other pages.</remarks>
public sealed class LiveServer : IAsyncDisposable, IDisposable
{
    /// <summary>Events a page may fall behind before its oldest are dropped (about 2 s of 30 fps video).</summary>
    public const int ClientQueueLength = 64;

    /// <summary>A comment line goes out on an event stream idle this long (a stalled or reconnecting source), well inside
    /// the 30–60 s after which proxies and browsers close a quiet connection. Default 15 s.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    // How long stopping waits for pages to take their last events before cutting them off (a page whose socket is
    // full would otherwise hold Kestrel's stop for its whole shutdown timeout), and for Kestrel itself.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly int _port;
    private readonly object _gate = new();
    private readonly HashSet<Client> _clients = [];
    private readonly byte[] _page;
    private WebApplication? _app;
    private string? _latestJson;
    private (int Frame, byte[] Jpeg)? _snapshot;
    private long _published;
    private long _dropped;
    private bool _stopping;

    /// <summary>A server for <paramref name="port"/> on 127.0.0.1 (0: a free port, see <see cref="Url"/>); nothing
    /// listens until <see cref="Start"/>.</summary>
    public LiveServer(int port = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _port = port;
        _page = Encoding.UTF8.GetBytes(LoadPage());
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>; null before <see cref="Start"/>.</summary>
    public Uri? Url { get; private set; }

    /// <summary>Pages connected to <c>/events</c> now.</summary>
    public int ClientCount
    {
        get { lock (_gate) return _clients.Count; }
    }

    /// <summary>Updates published so far.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Events dropped for slow pages so far, all pages together (one update dropped for two pages counts 2).</summary>
    public long DroppedEvents => Interlocked.Read(ref _dropped);

    /// <summary>Binds 127.0.0.1 on the port and starts serving; <see cref="Url"/> then holds the bound address.</summary>
    /// <exception cref="InvalidOperationException">Already started, or stopped: a server runs once.</exception>
    /// <exception cref="IOException">The port is in use (Kestrel's address-in-use error).</exception>
    public void Start()
    {
        lock (_gate)
            if (_app is not null || _stopping)
                throw new InvalidOperationException("the live server is already started, or stopped (start a new one)");
        var app = Build();
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch
        {
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        _app = app;
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Url = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Pushes <paramref name="update"/> to every connected page and makes it the <c>/latest</c>. Never blocks
    /// on a client: a full client queue drops its oldest event instead.</summary>
    public void Publish(LiveFrameResult update)
    {
        ArgumentNullException.ThrowIfNull(update);
        string json = update.ToJson();
        lock (_gate)
        {
            // Under the lock with the client set, so a page that connects now gets either this update as its first
            // (from /latest's copy) or in its queue, never both and never neither.
            _latestJson = json;
            if (update.Snapshot is { } jpeg)
                _snapshot = (update.Frame, jpeg);
            _published++;
            foreach (var client in _clients)
                client.Queue.Writer.TryWrite(json);
        }
    }

    /// <summary>Ends every event stream (pages see the end and reconnect to whatever serves next) and stops
    /// listening. Safe to call twice, or before <see cref="Start"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _stopping = true;
            foreach (var client in _clients)
                client.Queue.Writer.TryComplete();
        }
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null)
            return;
        await CutOffStuckClients(cancellationToken).ConfigureAwait(false);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(StopGrace);
        await app.StopAsync(grace.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());

    /// <inheritdoc />
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    private async Task CutOffStuckClients(CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ClientCount > 0 && clock.Elapsed < DrainGrace)
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        lock (_gate)
            foreach (var client in _clients)
                client.Context.Abort();
    }

    private WebApplication Build()
    {
        // The empty builder reads no appsettings.json or ASPNETCORE_* variables, so nothing on the machine can move the
        // server off loopback or add logging to stdout, which carries the JSON lines.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, _port);
            k.AddServerHeader = false;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapGet("/", ServePage);
        app.MapGet("/events", ServeEvents);
        app.MapGet("/latest", ServeLatest);
        app.MapGet("/health", ServeHealth);
        app.MapGet("/snapshot", ServeSnapshot);
        return app;
    }

    private Task ServePage(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = _page.Length;
        return context.Response.Body.WriteAsync(_page, context.RequestAborted).AsTask();
    }

    private Task ServeLatest(HttpContext context)
    {
        string? json;
        lock (_gate)
            json = _latestJson;
        context.Response.Headers.CacheControl = "no-store";
        if (json is null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    // The latest frame picture a result carried (JPEG), its frame number in X-Frame; 204 before the first.
    private Task ServeSnapshot(HttpContext context)
    {
        (int Frame, byte[] Jpeg)? snapshot;
        lock (_gate)
            snapshot = _snapshot;
        context.Response.Headers.CacheControl = "no-store";
        if (snapshot is not { } s)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        context.Response.ContentType = "image/jpeg";
        context.Response.Headers["X-Frame"] = s.Frame.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentLength = s.Jpeg.Length;
        return context.Response.Body.WriteAsync(s.Jpeg, context.RequestAborted).AsTask();
    }

    private Task ServeHealth(HttpContext context)
    {
        var health = new { status = "ok", clients = ClientCount, published = Published, dropped_events = DroppedEvents };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(health), context.RequestAborted);
    }

    private async Task ServeEvents(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        // Tells a buffering reverse proxy (nginx) in front of the page to pass events on at once.
        response.Headers["X-Accel-Buffering"] = "no";
        var (client, latest) = Connect(context);
        if (client is null)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        try
        {
            // The retry hint makes a page reconnect within a second after a restart; the latest update fills the page
            // at once instead of leaving it blank until the next frame.
            await response.WriteAsync(latest is null ? "retry: 1000\n\n" : $"retry: 1000\n\ndata: {latest}\n\n", context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            await Pump(client.Queue.Reader, response, KeepAlive, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The page went away: the normal end of a stream.
        }
        finally
        {
            lock (_gate)
                _clients.Remove(client);
        }
    }

    // Writes whatever is queued, then flushes once: a page that fell behind catches up in one write. While nothing comes,
    // a comment line every keepAlive.
    private static async Task Pump(ChannelReader<string> reader, HttpResponse response, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var batch = new StringBuilder();
        var pending = reader.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            try
            {
                if (!await pending.WaitAsync(keepAlive, cancellationToken))
                    return;
            }
            catch (TimeoutException)
            {
                await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                continue;
            }
            batch.Clear();
            while (reader.TryRead(out string? json))
                batch.Append("data: ").Append(json).Append("\n\n");
            await response.WriteAsync(batch.ToString(), cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            pending = reader.WaitToReadAsync(cancellationToken).AsTask();
        }
    }

    private (Client? Client, string? Latest) Connect(HttpContext context)
    {
        var options = new BoundedChannelOptions(ClientQueueLength)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        };
        var client = new Client(Channel.CreateBounded<string>(options, _ => Interlocked.Increment(ref _dropped)), context);
        lock (_gate)
        {
            if (_stopping)
                return (null, null);
            _clients.Add(client);
            return (client, _latestJson);
        }
    }

    private static string LoadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("AffectFuse.Live.live.html")
            ?? throw new InvalidOperationException("the live page (embedded resource AffectFuse.Live.live.html) is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // The page names the classes from the library's list, so a renamed or reordered class cannot go out of step.
        return reader.ReadToEnd().Replace("/*CLASS_NAMES*/[]", JsonSerializer.Serialize(ExpressionClasses.Names));
    }

    // One connected page: its queue of event JSON, and its request, to cut it off when stopping.
    private sealed record Client(Channel<string> Queue, HttpContext Context);
}
