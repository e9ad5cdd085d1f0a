namespace Klaviyo.Core.Data;

/// <summary>What campaign and flow report rows share, so one sync stores both.</summary>
public interface IReportStatistics
{
    /// <summary>The campaign's or flow's id.</summary>
    string OwnerId { get; }
    string ConversionMetricId { get; }
    string Channel { get; }
    MessageStatistics Values { get; set; }
    DateTime WindowStart { get; set; }
    DateTime WindowEnd { get; set; }
    DateTime FetchedAt { get; set; }
}
