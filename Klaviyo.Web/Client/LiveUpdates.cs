using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Klaviyo.Core.Security;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// The server's push channel: one graphql-transport-ws socket per dashboard process carrying the
/// DataChanged, SyncProgress, ApiErrors and AlertsChanged subscriptions of every account a dashboard
/// shows (<see cref="For"/>: subscribed on first use, kept while the process lives), fanned out to every open dashboard.
/// When the socket drops it reconnects with jittered exponential backoff (0.5 s doubling to 30 s)
/// and subscribes again; <see cref="Reconnected"/> then tells the dashboards to re-read what they
/// may have missed while it was down.
/// </summary>
public sealed class LiveUpdates(GraphQLEndpoint endpoint, DashboardTokens tokens, IConfiguration configuration, ILogger<LiveUpdates> logger) : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);
    private static readonly string[] Subscriptions = ["DataChanged", "SyncProgress", "SyncCompleted", "ApiErrors", "AlertsChanged"];

    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, LiveFeed> _feeds = new(StringComparer.Ordinal);
    // A client socket takes one send at a time: the receive loop's pongs and a new account's subscriptions share it.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private ClientWebSocket? _socket;
    // The accounts subscribed on the current socket (a repeated id would make the server close it); reset per connection.
    private HashSet<string> _subscribed = [];
    private volatile bool _acknowledged;
    private Task? _loop;

    /// <summary>The socket is back after a drop: pushes were missed, so errors and data must be read again.</summary>
    public event Action? Reconnected;
    public event Action<bool>? ConnectionChanged;

    /// <summary>The pushes of one account (null: the deployment's own), subscribed on the socket the first time it is asked for.</summary>
    public LiveFeed For(string? accountId)
    {
        var key = accountId ?? "";
        if (_feeds.TryGetValue(key, out var feed))
            return feed;
        feed = _feeds.GetOrAdd(key, _ => new LiveFeed(accountId));
        // Added before this check: if the connection is not acknowledged yet, its loop (which runs after) subscribes it.
        if (_acknowledged && _socket is { State: WebSocketState.Open } socket)
            _ = SubscribeAsync(socket, key, _stopping.Token);
        return feed;
    }

    public bool Connected { get; private set; }

    /// <summary>Starts the socket once (every dashboard calls this; only the first starts it).</summary>
    public void Start()
    {
        if (_loop is null)
            lock (_stopping)
                _loop ??= Task.Run(() => RunAsync(_stopping.Token));
    }

    private bool _everConnected;

    private async Task RunAsync(CancellationToken stopping)
    {
        var delay = FirstRetry;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await SessionAsync(() => delay = FirstRetry, stopping);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                // Stopping: the socket went down with the server (aborted, not closed). Nothing to report,
                // and the loop must end quietly or disposing the app rethrows it.
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Live updates disconnected ({Reason}); reconnecting in {Delay:F1} s", e.Message, delay.TotalSeconds);
            }
            SetConnected(false);
            try
            {
                await Task.Delay(delay * (0.8 + Random.Shared.NextDouble() * 0.4), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, delay.Ticks * 2));
        }
    }

    private async Task SessionAsync(Action connected, CancellationToken stopping)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        // The push channel is the process's, shared by every open dashboard: it reads as the dashboard's own Viewer.
        var token = configuration["GraphQL:ApiKey"] is { Length: > 0 } key ? key : tokens.MintService();
        // On the upgrade too, so the socket caps count it as the dashboard, not as the address it comes from.
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(endpoint.WebSocket, stopping);
        (_socket, _acknowledged) = (socket, false);
        lock (_feeds)
            _subscribed = [];
        await SendAsync(socket, new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } }, stopping);

        var buffer = new byte[16 * 1024];
        while (!stopping.IsCancellationRequested)
        {
            var message = await GraphQLSocket.ReceiveAsync(socket, buffer, stopping);
            if (message is null)
                return; // closed
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "connection_ack":
                    _feeds.GetOrAdd("", _ => new LiveFeed(null));
                    _acknowledged = true;
                    foreach (var account in _feeds.Keys)
                        await SubscribeAsync(socket, account, stopping);
                    SetConnected(true);
                    connected();
                    if (_everConnected)
                        RaiseReconnected();
                    _everConnected = true;
                    break;
                case "ping":
                    await SendAsync(socket, new { type = "pong" }, stopping);
                    break;
                case "next":
                    Dispatch(root.GetProperty("id").GetString(), root.GetProperty("payload"));
                    break;
                case "error":
                    logger.LogWarning("Subscription {Id} was refused: {Payload}", root.GetProperty("id").GetString(), root.GetProperty("payload").GetRawText());
                    break;
            }
        }
    }

    /// <summary>Subscribes one account's pushes: each subscription's id is its name, then ':' and the account ("" for the deployment's own).</summary>
    private async Task SubscribeAsync(ClientWebSocket socket, string account, CancellationToken stopping)
    {
        lock (_feeds)
            if (!_subscribed.Add(account))
                return;
        try
        {
            var variables = account.Length == 0 ? null : new { accountId = account };
            foreach (var name in Subscriptions)
                await SendAsync(socket, new { id = $"{name}:{account}", type = "subscribe", payload = new { query = KlaviyoGraphQLClientDocuments.All[name], operationName = name, variables } }, stopping);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket dropped meanwhile: the next session subscribes every account again.
        }
    }

    private async Task SendAsync(ClientWebSocket socket, object message, CancellationToken stopping)
    {
        await _sending.WaitAsync(stopping);
        try
        {
            await GraphQLSocket.SendAsync(socket, message, stopping);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Hands one "next" payload to the listeners of its account (internal: component tests push events through it; an id without ':' is the deployment's own).</summary>
    internal void Dispatch(string? id, JsonElement payload)
    {
        var (name, account) = id?.IndexOf(':') is int colon and >= 0 ? (id[..colon], id[(colon + 1)..]) : (id, "");
        if (!_feeds.TryGetValue(account, out var feed))
            feed = _feeds.GetOrAdd(account, key => new LiveFeed(key.Length == 0 ? null : key));
        if (!payload.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            logger.LogWarning("Subscription {Id} sent no data: {Payload}", id, payload.GetRawText());
            return;
        }
        try
        {
            switch (name)
            {
                case "DataChanged":
                    feed.Raise(GraphQLTransport.Deserialize<DataChangedData>(data, name).DataChanged);
                    break;
                case "SyncProgress":
                    feed.Raise(GraphQLTransport.Deserialize<SyncProgressData>(data, name).SyncProgress);
                    break;
                case "SyncCompleted":
                    feed.Raise(GraphQLTransport.Deserialize<SyncCompletedData>(data, name).SyncCompleted);
                    break;
                case "ApiErrors":
                    feed.Raise(GraphQLTransport.Deserialize<ApiErrorsData>(data, name).ApiErrors);
                    break;
                case "AlertsChanged":
                    feed.Raise(GraphQLTransport.Deserialize<AlertsChangedData>(data, name).AlertsChanged);
                    break;
            }
        }
        catch (GraphQLClientException e)
        {
            logger.LogError("Subscription {Id}: {Message} {Detail}", id, e.Message, e.Detail);
        }
    }

    /// <summary>Tells the dashboards pushes were missed (internal: component tests reconnect through it).</summary>
    internal void RaiseReconnected() => Reconnected?.Invoke();

    private void SetConnected(bool connected)
    {
        if (Connected == connected)
            return;
        Connected = connected;
        ConnectionChanged?.Invoke(connected);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
            await _loop;
        _stopping.Dispose();
        _sending.Dispose();
    }
}
