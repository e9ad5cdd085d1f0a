namespace Klaviyo.Web.Client.Models;

public sealed record OverviewData(OverviewPayload Overview);

public sealed record OverviewPayload(
    DateWindow Range,
    DateWindow? PreviousRange,
    CompareTo CompareTo,
    string Timezone,
    string Currency,
    ConversionMetric? ConversionMetric,
    bool ConversionStatisticsAvailable,
    Kpi TotalRevenue,
    Kpi Orders,
    Kpi ActiveSubscribers,
    Kpi FormSubmissions,
    Kpi OpenRate,
    Kpi ClickRate,
    Kpi ConversionRate,
    Kpi RevenuePerRecipient,
    IReadOnlyList<ChannelStatistics> Channels,
    double? AttributedRevenueShare,
    SeriesInterval SeriesInterval,
    IReadOnlyList<RevenuePoint> RevenueSeries,
    IReadOnlyList<PreviousPoint>? PreviousRevenueSeries,
    DateTime? LastUpdated,
    DataSource DataSource) : IFreshPayload;

/// <summary>One channel's campaigns sent in the window; SMS has no open rate.</summary>
public sealed record ChannelStatistics(MessageChannel Channel, int Campaigns, int Delivered, double? OpenRate, double? ClickRate, double? ConversionRate, double Revenue);

public enum MessageChannel
{
    Email,
    Sms,
    Push,
}

public sealed record DateWindow(DateTime Start, DateTime End);

public sealed record Kpi(double? Value, double? PreviousValue, double? ChangePercent);

public sealed record RevenuePoint(DateTime Start, DateTime End, double Campaign, double Flow, double Form, double Other, double Total);

public sealed record PreviousPoint(DateTime Start, DateTime End, double Total);

public enum SeriesInterval
{
    Hour,
    Day,
    Week,
    Month,
}

public enum CompareTo
{
    PreviousPeriod,
    PreviousYear,
    None,
}
