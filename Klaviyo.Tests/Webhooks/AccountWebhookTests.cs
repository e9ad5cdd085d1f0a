using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Klaviyo.Api;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Webhooks;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Accounts;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Webhooks;

/// <summary>An added account's events pushed by Klaviyo: its own receiver, secret and store.</summary>
public sealed class AccountWebhookTests : LondonAccountTests
{
    // London with system webhooks (the sandbox's further accounts have none unless told): this test delivers by hand.
    public AccountWebhookTests() => App.With("Klaviyo:Webhooks:PublicUrl", "http://localhost").With("Sandbox:Accounts:London:Webhooks", "true");

    private IServiceProvider LondonSandbox => App.Service<SandboxTenants>().ForName("London", App.Services)!;

    [Fact]
    public async Task An_added_account_registers_a_receiver_of_its_own_and_its_deliveries_land_in_its_store_alone()
    {
        var london = await AddLondonAsync();
        await SyncAsync(london, SyncEntity.Metrics, SyncEntity.Events);
        var status = ServicesOf(london).GetRequiredService<WebhookStatus>();
        await Wait.UntilAsync(() => status.State is WebhookState.Active or WebhookState.Unavailable or WebhookState.Failed, TimeSpan.FromSeconds(30));
        Assert.True(status.State == WebhookState.Active, $"{status.State}: {status.Message}");

        var webhook = Assert.Single(LondonSandbox.GetRequiredService<SandboxWebhooks>().All);
        Assert.Equal(new Uri($"http://localhost/webhooks/klaviyo/{london}"), webhook.EndpointUrl);
        var secret = await ServicesOf(london).GetRequiredService<WebhookSecret>().GetAsync(CancellationToken.None);
        Assert.Equal(secret, webhook.Secret);

        var account = LondonSandbox.GetRequiredService<SandboxAccount>();
        var now = App.Clock.GetUtcNow().UtcDateTime;
        var e = account.Event(account.EventCountAt(now) + 5); // not arrived yet: no poll has stored it
        var body = SignedDelivery.Body(e, status.WebhookId!, "LONDON");
        var at = JsonApi.Iso(now);
        var client = App.CreateClient();

        // Signed with London's secret, it is not the deployment's delivery.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(SignedDelivery.Request(WebhookOptions.Path, body, at, WebhookSignature.Compute(secret, body, at), status.WebhookId!))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(SignedDelivery.Request(WebhookOptions.PathOf("nowhere"), body, at, WebhookSignature.Compute(secret, body, at), status.WebhookId!))).StatusCode);
        var accepted = await client.SendAsync(SignedDelivery.Request(WebhookOptions.PathOf(london), body, at, WebhookSignature.Compute(secret, body, at), status.WebhookId!));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetInt32());
        await using (var theirs = await ServicesOf(london).GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync())
            Assert.True(await theirs.Events.AnyAsync(x => x.Id == e.Id));
        await using (var own = await App.Db())
            Assert.False(await own.Events.AnyAsync(x => x.Id == e.Id));
    }
}
