using System.Text;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>A generic webhook signed per Standard Webhooks; the receiver dedupes on webhook-id, which every retry reuses.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time) : IContactSender
{
    public string Kind => ContactKinds.Webhook;

    public Task<SendResult> SendAsync(ContactPoint contact, string? secret, IReadOnlyList<string> recipients, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret))
            return Task.FromResult<SendResult>(new SendResult.Gone("The webhook's signing secret cannot be read (was the Data Protection key lost?)."));
        var id = $"msg_{message.Id:N}";
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, contact.Target) { Content = new StringContent(message.Json, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhook.Sign(secret, id, timestamp, message.Json));
        return HttpRetry.SendAsync(clients.CreateClient(AlertServiceCollectionExtensions.HttpClientName), request, $"The webhook {new Uri(contact.Target).Host}", cancellationToken);
    }
}
