using System.Net.WebSockets;
using System.Text.Json;
using Klaviyo.Core.Security;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// The server's push channel: one graphql-transport-ws socket per dashboard process carrying the
/// DataChanged, SyncProgress, ApiErrors and AlertsChanged subscriptions, fanned out to every open dashboard.
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
    private Task? _loop;

    public event Action<DataChangedEvent>? DataChanged;
    public event Action<SyncProgress>? Progress;
    public event Action<SyncCompletedSyncRun>? Completed;
    /// <summary>The socket is back after a drop: pushes were missed, so errors and data must be read again.</summary>
    public event Action? Reconnected;
    public event Action<ApiErrorEvent>? ApiError;
    /// <summary>Alerts changed state (the bell).</summary>
    public event Action<AlertsChangedEvent>? AlertsChanged;
    public event Action<bool>? ConnectionChanged;

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
        await GraphQLSocket.SendAsync(socket, new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } }, stopping);

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
                    foreach (var name in Subscriptions)
                        await GraphQLSocket.SendAsync(socket, new { id = name, type = "subscribe", payload = new { query = KlaviyoGraphQLClientDocuments.All[name], operationName = name } }, stopping);
                    SetConnected(true);
                    connected();
                    if (_everConnected)
                        RaiseReconnected();
                    _everConnected = true;
                    break;
                case "ping":
                    await GraphQLSocket.SendAsync(socket, new { type = "pong" }, stopping);
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

    /// <summary>Hands one "next" payload to the listeners (internal: component tests push events through it).</summary>
    internal void Dispatch(string? id, JsonElement payload)
    {
        if (!payload.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            logger.LogWarning("Subscription {Id} sent no data: {Payload}", id, payload.GetRawText());
            return;
        }
        try
        {
            switch (id)
            {
                case "DataChanged":
                    DataChanged?.Invoke(GraphQLTransport.Deserialize<DataChangedData>(data, id).DataChanged);
                    break;
                case "SyncProgress":
                    Progress?.Invoke(GraphQLTransport.Deserialize<SyncProgressData>(data, id).SyncProgress);
                    break;
                case "SyncCompleted":
                    Completed?.Invoke(GraphQLTransport.Deserialize<SyncCompletedData>(data, id).SyncCompleted);
                    break;
                case "ApiErrors":
                    ApiError?.Invoke(GraphQLTransport.Deserialize<ApiErrorsData>(data, id).ApiErrors);
                    break;
                case "AlertsChanged":
                    AlertsChanged?.Invoke(GraphQLTransport.Deserialize<AlertsChangedData>(data, id).AlertsChanged);
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
    }
}
