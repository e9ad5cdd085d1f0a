namespace Klaviyo.Sandbox;

public sealed record SandboxMetric(string Id, string Name, string Integration, string Category);

public sealed record SandboxCampaign(int Index, string Id, string Name, string Channel, string MessageId, string Subject, DateTime CreatedAt, DateTime SendTime)
{
    public string Status(DateTime now) => now >= SendTime ? "Sent" : "Scheduled";
    public DateTime UpdatedAt(DateTime now) => now >= SendTime ? SendTime : CreatedAt;
}

public sealed record SandboxFlow(string Id, string Name, string Status, string TriggerType, DateTime Created, DateTime Updated);

/// <summary>A list or segment: it holds a fixed share of the profiles that exist at the time.</summary>
public sealed record SandboxGroup(string Id, string Name, double Share, DateTime Created, DateTime Updated, bool IsActive, bool IsStarred, string OptInProcess);

public sealed record SandboxForm(string Id, string Name, string Status, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record SandboxProfile(long Index, string Id, string Email, DateTime Created, DateTime Updated, string Consent);

/// <param name="ArrivedAt">When Klaviyo has the event; <paramref name="Datetime"/> is when it happened (late events: earlier; a few: in the future).</param>
/// <param name="Channel">The send channel of the message it is attributed to (email, sms), if any.</param>
public sealed record SandboxEvent(long Index, string Id, string MetricId, string ProfileId, DateTime Datetime, DateTime ArrivedAt, double Value, string? CampaignId, string? FlowId, string? MessageId, string? FormId, string? Channel);
