using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Core.Overview;

public sealed record OverviewResult(
    DateRange Range,
    DateRange? PreviousRange,
    CompareTo CompareTo,
    string Timezone,
    string Currency,
    Kpi TotalRevenue,
    Kpi Orders,
    Kpi ActiveSubscribers,
    Kpi FormSubmissions,
    Kpi OpenRate,
    Kpi ClickRate,
    Kpi ConversionRate,
    Kpi RevenuePerRecipient,
    SeriesInterval SeriesInterval,
    IReadOnlyList<RevenuePoint> RevenueSeries,
    IReadOnlyList<RevenuePoint>? PreviousRevenueSeries,
    Data.Metric? ConversionMetric,
    bool ConversionStatisticsAvailable,
    Channels.Channel? Channel,
    IReadOnlyList<Channels.ChannelStatistics> Channels,
    double? AttributedRevenueShare);

/// <summary>Revenue of one bucket [Start, End), split by what the order is attributed to.</summary>
public sealed record RevenuePoint(DateTime Start, DateTime End, double Campaign, double Flow, double Form, double Other)
{
    public double Total => Campaign + Flow + Form + Other;
}
