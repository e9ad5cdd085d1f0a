using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Security;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// One graphql-transport-ws connection. A single writer loop owns the socket's send side
/// (concurrent SendAsync is unsafe); everything else enqueues. Each operation gets its own DI
/// scope, disposed when the operation ends. The credential is re-checked before every subscribe,
/// every <see cref="SocketLimitOptions.RevalidateInterval"/>, and at once when any credential changes
/// (<see cref="CredentialChanges"/>): a revoked key, or a deleted, locked or demoted user, closes the
/// socket with 4403 and ends every operation on it.
/// </summary>
public sealed class GraphQLWebSocketSession(WebSocket socket, GraphQLWebSocketSession.Caller caller, GraphQLWebSocketSession.Services services)
{
    /// <summary>Who opened the socket (the upgrade request's principal: a session cookie, or anonymous where the mode allows) and from where.</summary>
    public sealed record Caller(ClaimsPrincipal User, string? RemoteIp);

    public sealed record Services(
        OperationExecutor Operations,
        IGraphQLTextSerializer Serializer,
        IServiceScopeFactory Scopes,
        GraphQLServerOptions Options,
        SecurityOptions Security,
        SocketAuthentication Authentication,
        CredentialCheck Check,
        CredentialChanges Changes,
        SubscriptionStatistics Statistics,
        ILogger<GraphQLWebSocketSession> Logger);

    private readonly IGraphQLTextSerializer serializer = services.Serializer;
    private readonly IServiceScopeFactory scopes = services.Scopes;
    private readonly GraphQLServerOptions options = services.Options;
    private readonly SubscriptionStatistics statistics = services.Statistics;
    private readonly ILogger<GraphQLWebSocketSession> logger = services.Logger;
    // Bounded: a subscriber that stops reading must not hold the server's memory (closed with 4508 instead).
    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, services.Security.Sockets.MaxQueuedMessages)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<string, Operation> _operations = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TokenBucketRateLimiter? _messages = services.Security.RateLimits.Enabled
        ? new TokenBucketRateLimiter(OperationRateLimiter.Bucket(services.Security.RateLimits.SocketMessagesPerMinute)) : null;
    private int _initReceived;
    private volatile bool _acknowledged;
    private ClaimsPrincipal _user = caller.User;
    // What operation limits count by: the credential sent in connection_init, else the upgrade's.
    private string _partition = KlaviyoClaims.Partition(caller.User, caller.RemoteIp);
    private long _lastPongTicks = Environment.TickCount64;
    private long _pingSentTicks;

    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closing.Token);
        statistics.SocketOpened();
        var writer = WriteLoopAsync();
        var initTimeout = CloseUnlessInitialisedAsync(linked.Token);
        var keepAlive = KeepAliveAsync(linked.Token);
        var revalidation = RevalidateAsync(linked.Token);
        Action<CredentialNotice> changed = notice => { _ = RecheckAsync(); };
        services.Changes.Changed += changed;
        try
        {
            await ReadLoopAsync(linked.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            Close(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down");
        }
        catch (WebSocketException e)
        {
            logger.LogDebug(e, "WebSocket ended abruptly");
        }
        finally
        {
            services.Changes.Changed -= changed;
            foreach (var id in _operations.Keys)
                Stop(id);
            _outbox.Writer.TryComplete();
            await _closing.CancelAsync();
            await Task.WhenAll(writer, initTimeout, keepAlive, revalidation);
            _messages?.Dispose(); // its replenishment timer
            statistics.SocketClosed();
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (socket.State == WebSocketState.Open)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                buffer.Advance(received.Count);
                if (buffer.WrittenCount > options.MaxMessageBytes)
                {
                    Close(WebSocketCloseStatus.MessageTooBig, $"Messages may be at most {options.MaxMessageBytes} bytes");
                    return;
                }
            } while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                Close(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (_messages is not null && !_messages.AttemptAcquire().IsAcquired)
            {
                Close((WebSocketCloseStatus)CloseCodes.TooManyMessages, "Too many messages");
                return;
            }
            if (received.MessageType == WebSocketMessageType.Binary || !await HandleAsync(buffer.WrittenMemory))
                return;
        }
    }

    /// <summary>Handles one message; false when it closed the connection.</summary>
    private async ValueTask<bool> HandleAsync(ReadOnlyMemory<byte> message)
    {
        ClientMessage parsed;
        try
        {
            parsed = ClientMessage.Parse(message);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return CloseWith(CloseCodes.InvalidMessage, "Invalid message received: " + e.Message);
        }

        switch (parsed.Type)
        {
            case "connection_init":
                if (Interlocked.Exchange(ref _initReceived, 1) == 1)
                    return CloseWith(CloseCodes.TooManyInitialisationRequests, "Too many initialisation requests");
                return await InitialiseAsync(parsed.Authorization);
            case "ping":
                Send("""{"type":"pong"}""");
                return true;
            case "pong":
                Interlocked.Exchange(ref _lastPongTicks, Environment.TickCount64);
                return true;
            case "subscribe":
                if (!_acknowledged)
                    return CloseWith(CloseCodes.Unauthorized, "Unauthorized");
                if (parsed.Id is null || parsed.Query is null)
                    return CloseWith(CloseCodes.InvalidMessage, "Invalid message received: subscribe needs an id and a payload with a query");
                var operation = new Operation(parsed.Id, statistics);
                if (!_operations.TryAdd(parsed.Id, operation))
                    return CloseWith(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {parsed.Id} already exists");
                if (_operations.Count > options.MaxOperationsPerSocket)
                {
                    _operations.TryRemove(parsed.Id, out _);
                    SendErrors(parsed.Id, new ExecutionError($"At most {options.MaxOperationsPerSocket} operations may run on one connection.") { Code = "TOO_MANY_OPERATIONS" });
                    return true;
                }
                if (!await StillValidAsync())
                {
                    _operations.TryRemove(parsed.Id, out _);
                    operation.Dispose();
                    return CloseWith(CloseCodes.Forbidden, Revoked);
                }
                _ = StartAsync(operation, parsed);
                return true;
            case "complete":
                if (parsed.Id is null)
                    return CloseWith(CloseCodes.InvalidMessage, "Invalid message received: complete needs an id");
                Stop(parsed.Id);
                return true;
            default:
                return CloseWith(CloseCodes.InvalidMessage, $"Invalid message received: unknown type '{parsed.Type}'");
        }
    }

    /// <summary>Acknowledges the connection once <see cref="SocketAuthentication"/> accepts its credential; closes it otherwise.</summary>
    private async ValueTask<bool> InitialiseAsync(string? authorization)
    {
        var outcome = await services.Authentication.AuthenticateAsync(authorization, caller.User, caller.RemoteIp, _closing.Token);
        if (outcome.CloseCode is { } code)
            return CloseWith(code, code == CloseCodes.Unauthorized ? "Unauthorized" : "Forbidden");
        (_user, _partition) = (outcome.User!, outcome.Partition!);
        _acknowledged = true;
        Send("""{"type":"connection_ack"}""");
        return true;
    }

    private async Task StartAsync(Operation operation, ClientMessage message)
    {
        try
        {
            var request = new OperationExecutor.Request(message.Query, message.OperationName,
                message.Variables is null ? null : serializer.Deserialize<Inputs>(message.Variables),
                message.Extensions is null ? null : serializer.Deserialize<Inputs>(message.Extensions),
                _user, _partition, NoCache: false, operation.Scope(scopes).ServiceProvider, CountAsRequest: false);
            // The span covers starting the operation (a subscription's events are spans of what raised them).
            var (result, _) = await services.Operations.ExecuteAsync(request, OperationExecutor.Parse(message.Query, message.OperationName), operation.Cancellation.Token);
            if (!result.Executed)
            {
                if (_operations.TryRemove(operation.Id, out _))
                    SendErrors(operation.Id, [.. result.Errors ?? []]);
                operation.Dispose();
                return;
            }
            if (result.Streams is { Count: > 0 } streams)
            {
                operation.Subscription = streams.Values.First().Subscribe(new StreamObserver(this, operation.Id));
                if (!_operations.ContainsKey(operation.Id))
                    operation.Dispose(); // completed by the client while we were subscribing
                return;
            }
            SendNext(operation.Id, result);
            Complete(operation.Id);
        }
        catch (OperationCanceledException) when (operation.Cancellation.IsCancellationRequested)
        {
            operation.Dispose();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Operation {Id} failed", operation.Id);
            if (_operations.TryRemove(operation.Id, out _))
                SendErrors(operation.Id, new ExecutionError("The operation failed unexpectedly.") { Code = ErrorCodes.InternalError });
            operation.Dispose();
        }
    }

    private void SendNext(string id, ExecutionResult result) =>
        Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"next","payload":{{serializer.Serialize(result)}}}""");

    private void SendErrors(string id, params ExecutionError[] errors) =>
        Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"error","payload":{{serializer.Serialize(errors)}}}""");

    /// <summary>Ends an operation from the server side: the client hears "complete".</summary>
    private void Complete(string id)
    {
        if (!_operations.TryRemove(id, out var operation))
            return;
        operation.Dispose();
        Send($$"""{"id":{{JsonSerializer.Serialize(id)}},"type":"complete"}""");
    }

    private void Fail(string id, Exception error)
    {
        logger.LogError(error, "Subscription {Id} failed", id);
        if (_operations.ContainsKey(id))
            SendNext(id, new ExecutionResult { Errors = [new ExecutionError("The subscription failed.") { Code = ErrorCodes.InternalError }] });
        Complete(id);
    }

    /// <summary>Ends an operation the client completed: nothing more is sent for it.</summary>
    private void Stop(string id)
    {
        if (_operations.TryRemove(id, out var operation))
            operation.Dispose();
    }

    private void Send(string json)
    {
        if (_outbox.Writer.TryWrite(json) || _closeRequest is not null)
            return;
        // The queue is full: this subscriber is too far behind. The writer closes the socket (4508)
        // after the send in progress; others are unaffected.
        logger.LogWarning("Closing a WebSocket whose subscriber fell {Count} messages behind", services.Security.Sockets.MaxQueuedMessages);
        Close((WebSocketCloseStatus)CloseCodes.SubscriberTooSlow, "Subscriber too slow");
        _ = AbortUnlessClosedAsync();
    }

    /// <summary>A reader that never reads would keep the writer's send pending forever: abort after the pong timeout.</summary>
    private async Task AbortUnlessClosedAsync()
    {
        try
        {
            await Task.Delay(services.Security.Sockets.PongTimeout, _closing.Token);
            socket.Abort();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private bool CloseWith(int code, string reason)
    {
        Close((WebSocketCloseStatus)code, reason);
        return false;
    }

    /// <summary>Closes at once: the writer sends the close frame after the send in progress and drops what is still queued.</summary>
    private void Close(WebSocketCloseStatus status, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(status, reason), null);
        _outbox.Writer.TryComplete();
    }

    private CloseRequest? _closeRequest;

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var json in _outbox.Reader.ReadAllAsync())
            {
                if (Volatile.Read(ref _closeRequest) is not null)
                    break;
                if (socket.State != WebSocketState.Open)
                    return;
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            if (Volatile.Read(ref _closeRequest) is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseAsync(close.Status, Truncate(close.Reason), CancellationToken.None);
            await _closing.CancelAsync();
        }
        catch (WebSocketException e)
        {
            logger.LogDebug(e, "Could not write to the WebSocket");
            await _closing.CancelAsync();
        }
    }

    private const string Revoked = "Forbidden: the credentials were revoked or have expired";

    private async Task<bool> StillValidAsync()
    {
        try
        {
            return await services.Check.StillValidAsync(_user, _closing.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes the socket (4403) once its credential no longer holds; before the handshake there is nothing to check yet.</summary>
    private async Task RecheckAsync()
    {
        if (!_acknowledged || _closing.IsCancellationRequested)
            return;
        try
        {
            if (await StillValidAsync() || _closing.IsCancellationRequested)
                return;
            logger.LogInformation("Closing a WebSocket of {User}: its credentials were revoked", _user.Identity?.Name);
            foreach (var id in _operations.Keys)
                Stop(id);
            Close((WebSocketCloseStatus)CloseCodes.Forbidden, Revoked);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is away: the socket stays until a check can be made (the next change or interval).
            logger.LogWarning("Could not re-check a WebSocket's credentials ({Error})", e.GetType().Name);
        }
    }

    private async Task RevalidateAsync(CancellationToken cancellationToken)
    {
        if (services.Security.Sockets.RevalidateInterval <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(services.Security.Sockets.RevalidateInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await RecheckAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CloseUnlessInitialisedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.ConnectionInitTimeout, cancellationToken);
            if (Volatile.Read(ref _initReceived) == 0)
                Close((WebSocketCloseStatus)CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (options.KeepAliveInterval <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(options.KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!_acknowledged)
                    continue;
                var pinged = Interlocked.Read(ref _pingSentTicks);
                if (pinged != 0 && Interlocked.Read(ref _lastPongTicks) < pinged
                    && Environment.TickCount64 - pinged > services.Security.Sockets.PongTimeout.TotalMilliseconds)
                {
                    Close((WebSocketCloseStatus)CloseCodes.PongTimeout, "Pong timeout");
                    return;
                }
                if (pinged == 0 || Interlocked.Read(ref _lastPongTicks) >= pinged)
                {
                    Interlocked.Exchange(ref _pingSentTicks, Environment.TickCount64);
                    Send("""{"type":"ping"}""");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Close reasons are limited to 123 bytes by RFC 6455.
    private static string Truncate(string? reason) => reason is null ? "" : reason.Length <= 120 ? reason : reason[..120];

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);

    private sealed class StreamObserver(GraphQLWebSocketSession session, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (session._operations.ContainsKey(id))
                session.SendNext(id, value);
        }

        public void OnError(Exception error) => session.Fail(id, error);

        public void OnCompleted() => session.Complete(id);
    }

    private sealed class Operation : IDisposable
    {
        private readonly SubscriptionStatistics _statistics;
        private IServiceScope? _scope;
        private int _disposed;

        public Operation(string id, SubscriptionStatistics statistics)
        {
            (Id, _statistics) = (id, statistics);
            statistics.OperationStarted();
        }

        public string Id { get; }
        public CancellationTokenSource Cancellation { get; } = new();
        public IDisposable? Subscription { get; set; }

        public IServiceScope Scope(IServiceScopeFactory factory) => _scope ??= factory.CreateScope();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
                return;
            _statistics.OperationEnded();
            Cancellation.Cancel();
            Subscription?.Dispose();
            _scope?.Dispose();
            Cancellation.Dispose();
        }
    }
}
