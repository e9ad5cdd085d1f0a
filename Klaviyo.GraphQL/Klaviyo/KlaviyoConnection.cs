using Klaviyo.GraphQL.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Klaviyo;

public enum KlaviyoMode
{
    Sandbox,
    Live,
}

/// <summary>
/// Where the client sends requests and with which key: the configured account, or — with no key —
/// the sandbox this very app serves (its address is known only once the server listens).
/// </summary>
public sealed class KlaviyoConnection(IOptions<KlaviyoOptions> options, IOptions<SandboxOptions> sandbox, IServer server)
{
    public KlaviyoMode Mode => string.IsNullOrWhiteSpace(options.Value.ApiKey) ? KlaviyoMode.Sandbox : KlaviyoMode.Live;

    public string ApiKey => Mode == KlaviyoMode.Live ? options.Value.ApiKey! : sandbox.Value.ApiKey;

    public Uri BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.BaseUrl))
                return new Uri(options.Value.BaseUrl.TrimEnd('/') + "/");
            if (Mode == KlaviyoMode.Live)
                return new Uri("https://a.klaviyo.com/");
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The sandbox's address is not known yet: the server is not listening.");
            var local = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1");
            return new Uri(local.TrimEnd('/') + JsonApi.Prefix + "/");
        }
    }
}
