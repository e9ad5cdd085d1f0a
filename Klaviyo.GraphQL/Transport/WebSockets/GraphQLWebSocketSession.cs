using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.RateLimiting;
using GraphQL;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// One graphql-transport-ws connection: the protocol. Its send side is a <see cref="SocketWriter"/>;
/// each operation a <see cref="SocketOperation"/> with its own DI scope, disposed when it ends. The credential is re-checked before every subscribe,
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
    private readonly ConcurrentDictionary<string, SocketOperation> _operations = new();
    private readonly SocketWriter _writer = new(socket, services.Security.Sockets.MaxQueuedMessages, services.Security.Sockets.PongTimeout, services.Logger);
    private readonly SocketCredentialWatch _credentials = new(services.Check, services.Changes, services.Security.Sockets.RevalidateInterval, services.Logger);
    private SocketKeepAlive? _keepAlive;
    private readonly TokenBucketRateLimiter? _messages = services.Security.RateLimits.Enabled
        ? new TokenBucketRateLimiter(OperationRateLimiter.Bucket(services.Security.RateLimits.SocketMessagesPerMinute)) : null;
    private int _initReceived;
    private volatile bool _acknowledged;
    private ClaimsPrincipal _user = caller.User;
    // What operation limits count by: the credential sent in connection_init, else the upgrade's.
    private string _partition = KlaviyoClaims.Partition(caller.User, caller.RemoteIp);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _writer.Closing.Token);
        statistics.SocketOpened();
        var writer = _writer.RunAsync();
        _keepAlive = new SocketKeepAlive(_writer, options.KeepAliveInterval, services.Security.Sockets.PongTimeout);
        var initTimeout = _keepAlive.CloseUnlessInitialisedAsync(() => Volatile.Read(ref _initReceived) == 1, options.ConnectionInitTimeout, linked.Token);
        var keepAlive = _keepAlive.RunAsync(() => _acknowledged, linked.Token);
        // The socket's principal is checked once acknowledged (and before every subscribe, below).
        var revalidation = _credentials.RunAsync(() => _acknowledged ? _user : null, Revoke, linked.Token);
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
            foreach (var id in _operations.Keys)
                Stop(id);
            _writer.Complete();
            await _writer.Closing.CancelAsync();
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
                _keepAlive?.Pong();
                return true;
            case "subscribe":
                if (!_acknowledged)
                    return CloseWith(CloseCodes.Unauthorized, "Unauthorized");
                if (parsed.Id is null || parsed.Query is null)
                    return CloseWith(CloseCodes.InvalidMessage, "Invalid message received: subscribe needs an id and a payload with a query");
                var operation = new SocketOperation(parsed.Id, statistics);
                if (!_operations.TryAdd(parsed.Id, operation))
                    return CloseWith(CloseCodes.SubscriberAlreadyExists, $"Subscriber for {parsed.Id} already exists");
                if (_operations.Count > options.MaxOperationsPerSocket)
                {
                    _operations.TryRemove(parsed.Id, out _);
                    SendErrors(parsed.Id, new ExecutionError($"At most {options.MaxOperationsPerSocket} operations may run on one connection.") { Code = "TOO_MANY_OPERATIONS" });
                    return true;
                }
                if (!await _credentials.StillValidAsync(_user, _writer.Closing.Token))
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
        var outcome = await services.Authentication.AuthenticateAsync(authorization, caller.User, caller.RemoteIp, _writer.Closing.Token);
        if (outcome.CloseCode is { } code)
            return CloseWith(code, code == CloseCodes.Unauthorized ? "Unauthorized" : "Forbidden");
        (_user, _partition) = (outcome.User!, outcome.Partition!);
        _acknowledged = true;
        Send("""{"type":"connection_ack"}""");
        return true;
    }

    private async Task StartAsync(SocketOperation operation, ClientMessage message)
    {
        try
        {
            var request = new OperationExecutor.Request(message.Query, message.OperationName,
                message.Variables is null ? null : serializer.Deserialize<Inputs>(message.Variables),
                message.Extensions is null ? null : serializer.Deserialize<Inputs>(message.Extensions),
                _user, _partition, NoCache: false, operation.Scope(scopes).ServiceProvider, CountAsRequest: false);
            // The span covers starting the operation (a subscription's events are spans of what raised them).
            var (result, _) = await services.Operations.ExecuteAsync(request, services.Operations.Parse(message.Query, message.OperationName), operation.Cancellation.Token);
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

    private void Send(string json) => _writer.Send(json);

    private void Close(WebSocketCloseStatus status, string reason) => _writer.Close(status, reason);

    private bool CloseWith(int code, string reason)
    {
        Close((WebSocketCloseStatus)code, reason);
        return false;
    }

    private const string Revoked = "Forbidden: the credentials were revoked or have expired";

    /// <summary>The credential no longer holds: every operation ends and the socket closes with 4403.</summary>
    private void Revoke()
    {
        foreach (var id in _operations.Keys)
            Stop(id);
        Close((WebSocketCloseStatus)CloseCodes.Forbidden, Revoked);
    }

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
}
