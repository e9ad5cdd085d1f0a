using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Klaviyo.Api;
using Klaviyo.Core.Webhooks;
using Klaviyo.Sandbox;
using Klaviyo.Tests.Coordination;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Webhooks;

/// <summary>
/// Two instances of one deployment: one webhook secret (generated once, kept in the database under
/// Data Protection), registered by the leader alone, and one replay store — a delivery accepted by
/// one instance is a replay at the other.
/// </summary>
public sealed class SharedWebhookTests : IDisposable
{
    private readonly CoordinatedPair _pair = new(redis: false, configure: i => i.With("Klaviyo:Webhooks:PublicUrl", "http://localhost"));

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task Instances_share_one_secret_only_the_leader_registers_and_a_delivery_accepted_by_one_is_a_replay_at_the_other()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        var secret = await leader.Service<WebhookSecret>().GetAsync(CancellationToken.None);
        Assert.Equal(secret, await follower.Service<WebhookSecret>().GetAsync(CancellationToken.None));

        await Wait.UntilAsync(() => leader.Service<WebhookStatus>().State == WebhookState.Active, TimeSpan.FromSeconds(30));
        var registered = Assert.Single(leader.Service<SandboxWebhooks>().All);
        Assert.Equal(secret, registered.Secret);
        Assert.Empty(follower.Service<SandboxWebhooks>().All);
        Assert.NotEqual(WebhookState.Active, follower.Service<WebhookStatus>().State);

        var now = JsonApi.Iso(leader.Clock.GetUtcNow().UtcDateTime);
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["data"] = new JsonArray(),
            ["meta"] = new JsonObject { ["klaviyo_account_id"] = "SANDBX", ["klaviyo_webhook_id"] = registered.Id, ["timestamp"] = now },
        }.ToJsonString());
        HttpRequestMessage Delivery()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, WebhookOptions.Path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(WebhookSignature.TimestampHeader, now);
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, body, now));
            request.Headers.Add(WebhookSignature.WebhookIdHeader, registered.Id);
            return request;
        }
        Assert.Equal(HttpStatusCode.OK, (await follower.CreateClient().SendAsync(Delivery())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await leader.CreateClient().SendAsync(Delivery())).StatusCode);
    }
}
