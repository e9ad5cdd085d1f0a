using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Klaviyo.Core.Hosting;

public static class ServerAddress
{
    /// <summary>
    /// Where this process can call itself: the root of its first listening address, wildcard hosts
    /// (+, *, [::], 0.0.0.0) made 127.0.0.1 (e.g. http://127.0.0.1:5247/). Known only once the server listens.
    /// </summary>
    public static Uri LocalBase(this IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server's address is not known yet: it is not listening.");
        var local = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1");
        return new Uri(local.TrimEnd('/') + "/");
    }
}
