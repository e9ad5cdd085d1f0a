using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// The send side of one socket: a single loop owns it (concurrent SendAsync is unsafe), everything
/// else queues. The queue is bounded: a subscriber that stops reading is closed with 4508 instead of
/// holding the server's memory, and aborted if it does not even read the close frame.
/// </summary>
public sealed class SocketWriter(WebSocket socket, int maxQueued, TimeSpan abortAfter, ILogger logger)
{
    /// <summary>Cancelled once the socket can no longer be written (closed, or failed): the session's loops end with it.</summary>
    public CancellationTokenSource Closing { get; } = new();

    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(Math.Max(1, maxQueued)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private CloseRequest? _closeRequest;

    public void Send(string json)
    {
        if (_outbox.Writer.TryWrite(json) || Volatile.Read(ref _closeRequest) is not null)
            return;
        // The queue is full: this subscriber is too far behind. The loop closes the socket (4508)
        // after the send in progress; others are unaffected.
        logger.LogWarning("Closing a WebSocket whose subscriber fell {Count} messages behind", maxQueued);
        Close((WebSocketCloseStatus)CloseCodes.SubscriberTooSlow, "Subscriber too slow");
        _ = AbortUnlessClosedAsync();
    }

    /// <summary>Closes at once: the loop sends the close frame after the send in progress and drops what is still queued.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(status, reason), null);
        _outbox.Writer.TryComplete();
    }

    /// <summary>Nothing more will be queued (the session ended): the loop sends what is queued and stops.</summary>
    public void Complete() => _outbox.Writer.TryComplete();

    /// <summary>Sends until closed or completed; then cancels <see cref="Closing"/>, which ends the session's other loops.</summary>
    public async Task RunAsync()
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
            await Closing.CancelAsync();
        }
        catch (WebSocketException e)
        {
            logger.LogDebug(e, "Could not write to the WebSocket");
            await Closing.CancelAsync();
        }
    }

    /// <summary>A reader that never reads would keep the loop's send pending forever: abort after the pong timeout.</summary>
    private async Task AbortUnlessClosedAsync()
    {
        try
        {
            await Task.Delay(abortAfter, Closing.Token);
            socket.Abort();
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Close reasons are limited to 123 bytes by RFC 6455.
    private static string Truncate(string? reason) => reason is null ? "" : reason.Length <= 120 ? reason : reason[..120];

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
}
