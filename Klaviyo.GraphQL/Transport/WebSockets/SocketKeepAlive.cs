using System.Net.WebSockets;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// Pings an acknowledged connection every <c>interval</c> and closes it (4504) when a ping goes
/// unanswered past <c>pongTimeout</c>: a client that vanished without a close frame frees its socket.
/// A connection that never sends <c>connection_init</c> is closed too (4408).
/// </summary>
public sealed class SocketKeepAlive(SocketWriter writer, TimeSpan interval, TimeSpan pongTimeout)
{
    private long _lastPongTicks = Environment.TickCount64;
    private long _pingSentTicks;

    public void Pong() => Interlocked.Exchange(ref _lastPongTicks, Environment.TickCount64);

    /// <param name="acknowledged">Whether the handshake is done (nothing is pinged before it).</param>
    public async Task RunAsync(Func<bool> acknowledged, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!acknowledged())
                    continue;
                var pinged = Interlocked.Read(ref _pingSentTicks);
                if (pinged != 0 && Interlocked.Read(ref _lastPongTicks) < pinged
                    && Environment.TickCount64 - pinged > pongTimeout.TotalMilliseconds)
                {
                    writer.Close((WebSocketCloseStatus)CloseCodes.PongTimeout, "Pong timeout");
                    return;
                }
                if (pinged == 0 || Interlocked.Read(ref _lastPongTicks) >= pinged)
                {
                    Interlocked.Exchange(ref _pingSentTicks, Environment.TickCount64);
                    writer.Send("""{"type":"ping"}""");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task CloseUnlessInitialisedAsync(Func<bool> initialised, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(timeout, cancellationToken);
            if (!initialised())
                writer.Close((WebSocketCloseStatus)CloseCodes.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        }
        catch (OperationCanceledException)
        {
        }
    }
}
