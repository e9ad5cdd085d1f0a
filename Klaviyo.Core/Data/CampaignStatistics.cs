namespace Klaviyo.Core.Data;

/// <summary>
/// One campaign's report counters for one conversion metric and one send channel (Klaviyo reports
/// per message and channel; the messages are summed). Conversions belong to the metric: another
/// metric's row is never read in its place.
/// </summary>
public sealed class CampaignStatistics : IReportStatistics
{
    public required string CampaignId { get; init; }
    string IReportStatistics.OwnerId => CampaignId;
    public required string ConversionMetricId { get; init; }
    /// <summary>email, sms or push (<see cref="Channels.ChannelNames.Normalize"/>).</summary>
    public required string Channel { get; init; }
    public required MessageStatistics Values { get; set; }
    public DateTime WindowStart { get; set; }
    public DateTime WindowEnd { get; set; }
    public DateTime FetchedAt { get; set; }
}
