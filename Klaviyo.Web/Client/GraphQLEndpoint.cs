using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Klaviyo.Web.Client;

/// <summary>
/// Where the dashboard sends GraphQL: <c>GraphQL:Endpoint</c> when the API runs separately,
/// otherwise this very process (the API is hosted in-process), whose address is known once it listens.
/// </summary>
public sealed class GraphQLEndpoint(IConfiguration configuration, IServer server)
{
    public Uri Http
    {
        get
        {
            if (configuration["GraphQL:Endpoint"] is { Length: > 0 } configured)
                return new Uri(configured);
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The server is not listening yet.");
            var local = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1");
            return new Uri(local.TrimEnd('/') + "/graphql");
        }
    }

    public Uri WebSocket => new UriBuilder(Http) { Scheme = Http.Scheme == "https" ? "wss" : "ws" }.Uri;

    /// <summary>Sent as a bearer token (HTTP) and in connection_init (WebSocket) when the API requires one.</summary>
    public string? AccessToken => configuration["GraphQL:AccessToken"];
}
