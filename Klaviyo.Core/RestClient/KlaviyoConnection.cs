using Microsoft.Extensions.Options;

namespace Klaviyo.Core.RestClient;

public enum KlaviyoMode
{
    Sandbox,
    Live,
}

/// <summary>The account the client calls when no Klaviyo key is configured: the sandbox a host serves.</summary>
public interface ISandboxAccount
{
    /// <summary>Its API's root (known once the host listens).</summary>
    Uri BaseUrl { get; }

    string ApiKey { get; }
}

/// <summary>
/// Where the client sends requests and with which key: the configured account, or — with no key —
/// the sandbox the host serves (<see cref="ISandboxAccount"/>).
/// </summary>
public sealed class KlaviyoConnection(IOptions<KlaviyoOptions> options, IEnumerable<ISandboxAccount> sandboxes)
{
    public KlaviyoMode Mode => string.IsNullOrWhiteSpace(options.Value.ApiKey) || options.Value.Sandbox ? KlaviyoMode.Sandbox : KlaviyoMode.Live;

    public string ApiKey => string.IsNullOrWhiteSpace(options.Value.ApiKey) ? Sandbox.ApiKey : options.Value.ApiKey;

    public Uri BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.BaseUrl))
                return new Uri(options.Value.BaseUrl.TrimEnd('/') + "/");
            return string.IsNullOrWhiteSpace(options.Value.ApiKey) ? Sandbox.BaseUrl : new Uri("https://a.klaviyo.com/");
        }
    }

    private ISandboxAccount Sandbox => sandboxes.LastOrDefault()
        ?? throw new InvalidOperationException("No Klaviyo:ApiKey is configured and this host serves no sandbox: set Klaviyo:ApiKey.");
}
