using System.Text;
using System.Text.Json.Nodes;
using Klaviyo.Api;
using Klaviyo.Sandbox;

namespace Klaviyo.Tests.Webhooks;

/// <summary>Webhook deliveries made by hand, as Klaviyo sends them.</summary>
public static class SignedDelivery
{
    /// <summary>A delivery of one event (a Get Event answer as its payload).</summary>
    public static byte[] Body(SandboxEvent e, string webhookId, string klaviyoAccountId = "SANDBX") => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["data"] = new JsonArray(new JsonObject
        {
            ["external_id"] = e.Id,
            ["payload"] = new JsonObject { ["data"] = SandboxActivityEndpoints.Event("http://localhost/sandbox/klaviyo", e) },
            ["topic"] = "event:klaviyo.test",
        }),
        ["meta"] = new JsonObject { ["klaviyo_account_id"] = klaviyoAccountId, ["klaviyo_webhook_id"] = webhookId, ["timestamp"] = "2026-11-30T00:00:00+00:00" },
    }.ToJsonString());

    /// <summary>The POST, with each header only when given.</summary>
    public static HttpRequestMessage Request(string path, byte[] body, string? timestamp, string? signature, string webhookId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (timestamp is not null)
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        if (signature is not null)
            request.Headers.Add(WebhookSignature.SignatureHeader, signature);
        request.Headers.Add(WebhookSignature.WebhookIdHeader, webhookId);
        return request;
    }
}
