namespace Klaviyo.Core.Data;

/// <summary>A secret the deployment generated once and shares (the webhook signing key), protected with Data Protection: the database alone does not reveal it.</summary>
public sealed class StoredSecret
{
    public const string WebhookSecret = "webhook-secret";

    public required string Name { get; init; }
    public required string Protected { get; set; }
    public DateTime CreatedAt { get; set; }
}
