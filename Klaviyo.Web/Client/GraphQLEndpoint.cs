using Klaviyo.Core.Hosting;
using Microsoft.AspNetCore.Hosting.Server;

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
            return new Uri(server.LocalBase(), "graphql");
        }
    }

    public Uri WebSocket => new UriBuilder(Http) { Scheme = Http.Scheme == "https" ? "wss" : "ws" }.Uri;
}
