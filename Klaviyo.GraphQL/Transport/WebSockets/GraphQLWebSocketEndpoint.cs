using GraphQL;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Security;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Transport.WebSockets;

/// <summary>
/// Accepts WebSockets that speak graphql-transport-ws and runs one session per socket. The Origin
/// was checked before this (<see cref="OriginPolicy"/>); here the socket caps are, before upgrading.
/// </summary>
public sealed class GraphQLWebSocketEndpoint(
    OperationExecutor operations,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    IOptions<GraphQLServerOptions> options,
    IOptions<SecurityOptions> security,
    IHostApplicationLifetime lifetime,
    SocketRegistry registry,
    SocketAuthentication authentication,
    CredentialCheck check,
    CredentialChanges changes,
    SubscriptionStatistics statistics,
    ILogger<GraphQLWebSocketSession> logger)
{
    public const string SubProtocol = "graphql-transport-ws";

    private readonly GraphQLWebSocketSession.Services _services = new(operations, serializer, scopes, options.Value, security.Value, authentication, check, changes, statistics, logger);

    public async Task HandleAsync(HttpContext http)
    {
        var identity = KlaviyoClaims.Partition(http);
        switch (registry.TryOpen(identity))
        {
            case SocketRegistry.Admission.TooManyTotal:
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "30";
                return;
            case SocketRegistry.Admission.TooManyForIdentity:
                await RateLimitResponse.WriteAsync(http, TimeSpan.FromSeconds(30));
                return;
        }
        try
        {
            var supported = http.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol);
            using var socket = await http.WebSockets.AcceptWebSocketAsync(supported ? SubProtocol : null);
            if (!supported)
            {
                await socket.CloseAsync((System.Net.WebSockets.WebSocketCloseStatus)CloseCodes.SubprotocolNotAcceptable, "Subprotocol not acceptable", http.RequestAborted);
                return;
            }
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            var caller = new GraphQLWebSocketSession.Caller(http.User, http.Connection.RemoteIpAddress?.ToString());
            var session = new GraphQLWebSocketSession(socket, caller, _services);
            await session.RunAsync(stopping.Token);
        }
        finally
        {
            registry.Close(identity);
        }
    }
}
