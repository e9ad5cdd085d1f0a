namespace Klaviyo.Core.Data;

/// <summary>The Klaviyo account (one row): Klaviyo reports every number in its time zone and currency, so ours do too.</summary>
public sealed class Account
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    /// <summary>IANA time zone id (e.g. America/New_York).</summary>
    public required string Timezone { get; set; }
    /// <summary>ISO 4217 code (e.g. USD).</summary>
    public required string Currency { get; set; }
    public DateTime UpdatedAt { get; set; }
}
