namespace Klaviyo.Core.Data;

/// <summary>A conversion metric someone asked campaign or flow statistics for: the report plan fetches it too while it is recent.</summary>
public sealed class ReportMetricRequest
{
    public required string MetricId { get; init; }
    public DateTime RequestedAt { get; set; }
}
