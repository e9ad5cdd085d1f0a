namespace Klaviyo.Core.Alerts;

/// <summary>Alerts changed state (the bell and the log refetch); crosses instances over Redis like the sync's events.</summary>
public sealed record AlertsChangedEvent(IReadOnlyList<AlertChange> Changes, int Firing, DateTime At);

public sealed record AlertChange(Guid RuleId, string RuleName, string Key, string Subject, string From, string To, string? Message);
