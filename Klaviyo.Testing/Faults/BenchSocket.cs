using System.Net.WebSockets;
using System.Text.Json;

namespace Klaviyo.Testing.Faults;

/// <summary>A simulated dashboard's push channel: one graphql-transport-ws socket over real TCP, one subscription.</summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private BenchSocket() => _socket.Options.AddSubProtocol("graphql-transport-ws");

    /// <summary>Connects, completes the handshake and subscribes; <paramref name="onNext"/> runs for every event.</summary>
    public static async Task<BenchSocket> SubscribeAsync(Uri http, string subscription, Func<JsonElement, Task> onNext)
    {
        var bench = new BenchSocket();
        await bench._socket.ConnectAsync(new Uri($"ws://{http.Authority}/graphql"), CancellationToken.None);
        await bench.SendAsync(new { type = "connection_init" });
        var ack = await bench.ReceiveAsync(CancellationToken.None) ?? throw new InvalidOperationException("closed during the handshake");
        if (ack.RootElement.GetProperty("type").GetString() != "connection_ack")
            throw new InvalidOperationException($"expected connection_ack, got {ack.RootElement.GetRawText()}");
        await bench.SendAsync(new { id = "1", type = "subscribe", payload = new { query = subscription } });
        bench._loop = Task.Run(() => bench.LoopAsync(onNext));
        return bench;
    }

    /// <summary>Set when the server closed the socket or sent an error; a run with any is not a clean run.</summary>
    public string? Failure { get; private set; }

    private async Task LoopAsync(Func<JsonElement, Task> onNext)
    {
        try
        {
            while (await ReceiveAsync(_stop.Token) is { } message)
            {
                using (message)
                {
                    switch (message.RootElement.GetProperty("type").GetString())
                    {
                        case "next":
                            await onNext(message.RootElement.GetProperty("payload"));
                            break;
                        case "ping":
                            await SendAsync(new { type = "pong" });
                            break;
                        case "error":
                            Failure = message.RootElement.GetRawText();
                            break;
                    }
                }
            }
            if (!_stop.IsCancellationRequested)
                Failure ??= $"closed by the server: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Failure ??= e.Message;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonDocument.Parse(message.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Already gone.
        }
        if (_loop is not null)
            await _loop;
        _socket.Dispose();
        _stop.Dispose();
    }
}
