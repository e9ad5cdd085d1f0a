using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// A raw graphql-transport-ws client, so tests can also send what a good client never would: over
/// the TestServer, or over real TCP to Kestrel (<see cref="ConnectOverTcpAsync"/>), which is where the
/// transport's security properties are proven.
/// </summary>
public sealed class GraphQLWebSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly WebSocket _socket;

    private GraphQLWebSocketClient(WebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseDescription => _socket.CloseStatusDescription;
    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<GraphQLWebSocketClient> ConnectAsync<T>(WebApplicationFactory<T> factory, string? subProtocol = "graphql-transport-ws", Action<Microsoft.AspNetCore.Http.HttpRequest>? configure = null) where T : class
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = configure;
        if (subProtocol is not null)
            client.SubProtocols.Add(subProtocol);
        return new GraphQLWebSocketClient(await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "graphql"), CancellationToken.None));
    }

    /// <summary>A socket to a Kestrel server over TCP; <paramref name="configure"/> sets headers (Origin, Authorization…).</summary>
    public static async Task<GraphQLWebSocketClient> ConnectOverTcpAsync(Uri server, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        configure?.Invoke(socket.Options);
        var address = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = "graphql" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        return new GraphQLWebSocketClient(socket);
    }

    /// <summary>Connects and completes the connection_init / connection_ack handshake.</summary>
    public static async Task<GraphQLWebSocketClient> InitialisedAsync<T>(WebApplicationFactory<T> factory, object? payload = null) where T : class
    {
        var client = await ConnectAsync(factory);
        await client.SendAsync(new { type = "connection_init", payload });
        Assert.Equal("connection_ack", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonNode?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Wait);
        var buffer = new byte[64 * 1024];
        var builder = new StringBuilder();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            builder.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage)
                return JsonNode.Parse(builder.ToString());
        }
    }

    /// <summary>Reads until a message of this type arrives (skipping keep-alive pings).</summary>
    public async Task<JsonNode> ReceiveAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync() ?? throw new InvalidOperationException($"Closed ({CloseStatus} {CloseDescription}) while waiting for '{type}'.");
            if (message["type"]!.GetValue<string>() == type)
                return message;
            if (message["type"]!.GetValue<string>() != "ping")
                throw new InvalidOperationException($"Expected '{type}', got {message.ToJsonString()}");
        }
    }

    /// <summary>Waits for the server to close the socket and returns its close code.</summary>
    public async Task<int> ClosedWithAsync(TimeSpan? timeout = null)
    {
        while (await ReceiveAsync(timeout) is not null)
        {
        }
        return (int)_socket.CloseStatus!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or WebSocketException)
        {
            // The server closed first (between the state check and the close): the socket is gone either way.
        }
        _socket.Dispose();
    }
}
