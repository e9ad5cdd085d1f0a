using Klaviyo.Core.Data;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>A Slack incoming webhook: text (for notifications) and blocks; 429's Retry-After honoured.</summary>
public sealed class SlackSender(IHttpClientFactory clients) : IContactSender
{
    public string Kind => ContactKinds.Slack;

    public Task<SendResult> SendAsync(ContactPoint contact, string? secret, IReadOnlyList<string> recipients, OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret))
            return Task.FromResult<SendResult>(new SendResult.Gone("The Slack webhook URL cannot be read (was the Data Protection key lost?)."));
        var request = new HttpRequestMessage(HttpMethod.Post, secret) { Content = JsonContent.Create(message.Slack) };
        return HttpRetry.SendAsync(clients.CreateClient(AlertServiceCollectionExtensions.HttpClientName), request, "Slack", cancellationToken);
    }
}
