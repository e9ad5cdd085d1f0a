using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Web.Client;

/// <summary>graphql-transport-ws messages over a client socket: one JSON text message each way.</summary>
internal static class GraphQLSocket
{
    public static Task SendAsync(WebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, ClientJson.Strict), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The next whole message; null when the server closed the socket.</summary>
    public static async Task<string?> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
    }
}
