namespace Klaviyo.Core.Data;

/// <summary>
/// An alert rule: its current version's definition (JSON of <c>AlertDefinition</c>), every earlier
/// version kept in <see cref="AlertRuleVersion"/>. Built-in rules (the monitors and diagnostics every
/// account gets) carry their key, so they are created once and can be disabled, never duplicated.
/// </summary>
public sealed class AlertRule
{
    public Guid Id { get; init; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Definition { get; set; }
    public int Version { get; set; } = 1;
    public bool Enabled { get; set; } = true;
    /// <summary>"team=growth,severity=high": what silences and notification policies match.</summary>
    public string Labels { get; set; } = "";
    /// <summary>Contact points this rule notifies (comma-separated ids); every enabled one when empty.</summary>
    public string ContactPoints { get; set; } = "";
    public string? BuiltIn { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
    public DateTime? LastEvaluatedAt { get; set; }
    /// <summary>The last evaluation's failure (state ERROR); null when it succeeded.</summary>
    public string? LastError { get; set; }
}

/// <summary>A rule as it was at one version: what the alert log's entries point to.</summary>
public sealed class AlertRuleVersion
{
    public Guid RuleId { get; init; }
    public int Version { get; init; }
    public required string Name { get; init; }
    public required string Definition { get; init; }
    public DateTime ChangedAt { get; init; }
    public required string ChangedBy { get; init; }
}
