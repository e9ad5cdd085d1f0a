namespace Klaviyo.Core.Data;

/// <summary>
/// A webhook delivery accepted once, known by its signature's bytes (hex, lower case: however the
/// header spelled them). Shared by every instance, so a replay is refused wherever it lands; rows
/// older than twice the timestamp tolerance are deleted (a replay that old is refused as stale).
/// </summary>
public sealed class WebhookDelivery
{
    public required string Signature { get; init; }
    public DateTime ReceivedAt { get; init; }
}
