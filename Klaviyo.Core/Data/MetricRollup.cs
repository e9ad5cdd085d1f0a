namespace Klaviyo.Core.Data;

/// <summary>
/// Count and summed value of one metric's events per time bucket and attribution channel.
/// Series and KPIs read these instead of scanning events.
/// </summary>
public sealed class MetricRollup
{
    public required string MetricId { get; init; }
    public RollupGranularity Granularity { get; init; }
    public DateTime BucketStart { get; init; }
    public AttributionChannel Channel { get; init; }
    public long Count { get; set; }
    public double SumValue { get; set; }
}
