using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Hosting;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.GraphQL.Transport.WebSockets;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Security;

/// <summary>
/// Over real TCP (Kestrel): a subscriber that stops reading is closed with 4508 once its queue is
/// full, while a subscriber that keeps reading receives every event.
/// </summary>
public sealed class SlowSubscriberTests
{
    private const string DataChanged = "subscription { dataChanged { entities lastUpdated runId at } }";

    [Fact]
    public async Task A_slow_reader_is_closed_while_a_fast_one_keeps_receiving()
    {
        await using var factory = new ApiFactory().With("Security:Sockets:MaxQueuedMessages", "64").With("Security:RateLimits:Enabled", "false");
        factory.UseKestrel(0);
        factory.StartServer();
        var address = new UriBuilder(factory.Services.GetRequiredService<IServer>().LocalBase()) { Scheme = "ws", Path = "graphql" }.Uri;

        using var fast = await ConnectAsync(address);
        using var slow = await ConnectAsync(address);
        await SubscribeAsync(fast, "f");
        // The slow socket holds many subscriptions, so each event costs it many messages: its
        // queue, not the kernel's buffers, is what fills up.
        for (var i = 0; i < 100; i++)
            await SubscribeAsync(slow, $"s{i}");

        var bus = factory.Services.GetRequiredService<EventBus>();
        var received = 0;
        const int events = 400;
        for (var i = 0; i < events; i++)
        {
            bus.Publish(new DataChangedEvent([SyncEntity.Events], DateTime.UtcNow, null, DateTime.UtcNow, 1));
            received += await ReceiveNextAsync(fast);
        }
        Assert.Equal(events, received);

        // Now the slow reader drains what reached it and finds the close frame.
        var close = await DrainAsync(slow);
        Assert.Equal(CloseCodes.SubscriberTooSlow, close);
    }

    private static async Task<ClientWebSocket> ConnectAsync(Uri address)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                // A small receive window, as a slow client over a real network has.
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        await socket.ConnectAsync(address, new HttpMessageInvoker(handler), CancellationToken.None);
        await SendAsync(socket, new { type = "connection_init" });
        Assert.Equal("connection_ack", (await ReceiveAsync(socket))!.Value.GetProperty("type").GetString());
        return socket;
    }

    private static async Task SubscribeAsync(ClientWebSocket socket, string id)
    {
        await SendAsync(socket, new { id, type = "subscribe", payload = new { query = DataChanged } });
        // A ping answered means every earlier message, this subscribe included, was handled.
        await SendAsync(socket, new { type = "ping" });
        while ((await ReceiveAsync(socket))!.Value.GetProperty("type").GetString() != "pong")
        {
        }
    }

    /// <summary>1 when the next message is a "next", skipping server pings.</summary>
    private static async Task<int> ReceiveNextAsync(ClientWebSocket socket)
    {
        while (true)
        {
            var message = await ReceiveAsync(socket) ?? throw new InvalidOperationException($"closed: {socket.CloseStatus}");
            var type = message.GetProperty("type").GetString();
            if (type == "next")
                return 1;
            if (type != "ping")
                throw new InvalidOperationException($"unexpected {message}");
        }
    }

    private static async Task<int> DrainAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return (int)socket.CloseStatus!.Value;
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement?> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return JsonDocument.Parse(text.ToArray()).RootElement.Clone();
        }
    }
}
