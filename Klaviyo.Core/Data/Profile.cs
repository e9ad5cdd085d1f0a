namespace Klaviyo.Core.Data;

public sealed class Profile
{
    public required string Id { get; init; }
    public string? Email { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }
    /// <summary>Klaviyo's email-marketing consent: SUBSCRIBED, UNSUBSCRIBED or NEVER_SUBSCRIBED.</summary>
    public required string EmailConsent { get; set; }
}
