namespace Klaviyo.Web.Client.Models;

public sealed record CampaignRow(
    string Id, string Name, string Status, string Channel, DateTime? SendTime, string? Subject,
    int? Delivered, double? OpenRate, double? ClickRate, double? ConversionRate, double? Revenue);

public sealed record FlowRow(
    string Id, string Name, string Status, string? TriggerType,
    int? Delivered, double? OpenRate, double? ClickRate, double? ConversionRate, double? Revenue);

public sealed record FormRow(string Id, string Name, string Status, int? Views, int? Submissions, double? SubmitRate);

/// <summary>A segment or a list: both are groups of profiles.</summary>
public sealed record GroupRow(string Id, string Name, int ProfileCount, DateTime Updated);
