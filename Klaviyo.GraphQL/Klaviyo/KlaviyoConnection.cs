using Klaviyo.GraphQL.GraphQL;
using Klaviyo.Sandbox;
using Microsoft.AspNetCore.Hosting.Server;
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
            return new Uri(server.LocalBase(), JsonApi.Prefix.TrimStart('/') + "/");
        }
    }
}
