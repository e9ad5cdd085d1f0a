using GraphQL;
using GraphQL.Types;
using Klaviyo.GraphQL.Diagnostics;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.GraphQL.WebSockets;

/// <summary>Accepts WebSockets that speak graphql-transport-ws and runs one session per socket.</summary>
public sealed class GraphQLWebSocketEndpoint(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    IOptions<GraphQLServerOptions> options,
    IHostApplicationLifetime lifetime,
    SubscriptionStatistics statistics,
    ILogger<GraphQLWebSocketSession> logger)
{
    public const string SubProtocol = "graphql-transport-ws";

    public async Task HandleAsync(HttpContext http)
    {
        var supported = http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol);
        using var socket = await http.WebSockets.AcceptWebSocketAsync(supported ? SubProtocol : null);
        if (!supported)
        {
            await socket.CloseAsync((System.Net.WebSockets.WebSocketCloseStatus)CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable", http.RequestAborted);
            return;
        }
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        var session = new GraphQLWebSocketSession(socket, executer, serializer, scopes, options.Value, statistics, logger);
        await session.RunAsync(stopping.Token);
    }
}
