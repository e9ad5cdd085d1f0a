using Klaviyo.Core.Data;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>Sends to one kind of contact point (EMAIL, SLACK, WEBHOOK).</summary>
public interface IContactSender
{
    string Kind { get; }

    /// <param name="secret">The contact point's secret, unprotected for this call only (Slack's URL, the webhook's whsec_ key).</param>
    /// <param name="recipients">An email contact point's addresses.</param>
    Task<SendResult> SendAsync(ContactPoint contact, string? secret, IReadOnlyList<string> recipients, OutgoingMessage message, CancellationToken cancellationToken);
}

public static class ContactKinds
{
    public const string Email = "EMAIL";
    public const string Slack = "SLACK";
    public const string Webhook = "WEBHOOK";

    public static IReadOnlyList<string> All { get; } = [Email, Slack, Webhook];
}
