using Klaviyo.Core.Webhooks;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Webhooks;

/// <summary>The sandbox API with webhooks registered at the TestServer's address; an event a minute, so moving the clock makes some arrive.</summary>
public sealed class WebhookFactory : SandboxApiFactory
{
    public WebhookFactory()
    {
        With("Klaviyo:Webhooks:PublicUrl", "http://localhost").With("Sandbox:LiveEventInterval", "00:01:00");
    }

    public WebhookStatus Status => Service<WebhookStatus>();

    public SandboxWebhooks Webhooks => Service<SandboxWebhooks>();

    /// <summary>Waits (on the condition, never a fixed time) until registration has finished.</summary>
    public async Task<WebhookStatus> RegisteredAsync()
    {
        await Wait.UntilAsync(() => Status.State is WebhookState.Active or WebhookState.Unavailable, TimeSpan.FromSeconds(30));
        return Status;
    }
}
