namespace Klaviyo.Core.Data;

/// <summary>
/// Notifications held back while it lasts (the log still records every change): by rule, by
/// labels, or both. Ended, never deleted. A dismissal lasts until the alert resolves; a suppression
/// for 30/60/120/365 days as Klaviyo offers.
/// </summary>
public sealed class AlertSilence
{
    public Guid Id { get; init; }
    public required string Kind { get; init; }
    public Guid? RuleId { get; init; }
    /// <summary>Only this alert of the rule ("" any).</summary>
    public string Key { get; init; } = "";
    /// <summary>"severity=low,team=growth": every one must match the rule's labels.</summary>
    public string Matchers { get; init; } = "";
    public DateTime StartsAt { get; init; }
    public DateTime? EndsAt { get; init; }
    public string Comment { get; init; } = "";
    public required string CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? EndedAt { get; set; }
    public string? EndedBy { get; set; }
}
