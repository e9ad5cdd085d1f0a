namespace Klaviyo.Core.Data;

/// <summary>
/// One alert of a rule: the rule's only one, or one per flow, campaign or entity it watches (its
/// <see cref="Key"/>). Carries the state machine's memory: when the condition began and cleared.
/// </summary>
public sealed class AlertInstance
{
    public Guid RuleId { get; init; }
    /// <summary>"" for a rule with one alert; "flow:XYZ", "campaign:ABC", "entity:Events"…</summary>
    public required string Key { get; init; }
    /// <summary>What the key names, for people: "Welcome Series".</summary>
    public string Subject { get; set; } = "";
    public required string State { get; set; }
    public DateTime StateSince { get; set; }
    public DateTime? ConditionSince { get; set; }
    public DateTime? ClearedSince { get; set; }
    public double? Value { get; set; }
    public double? Expected { get; set; }
    public string? Message { get; set; }
    public DateTime? LastNotifiedAt { get; set; }
    /// <summary>The log entry of the change to FIRING now in force (what a repeat refers to).</summary>
    public Guid? FiredEntryId { get; set; }
    public DateTime EvaluatedAt { get; set; }
}
