using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Overview;

public sealed record OverviewResult(
    DateRange Range,
    DateRange PreviousRange,
    Kpi TotalRevenue,
    Kpi Orders,
    Kpi ActiveSubscribers,
    Kpi FormSubmissions,
    Kpi OpenRate,
    Kpi ClickRate,
    Kpi ConversionRate,
    Kpi RevenuePerRecipient,
    SeriesInterval SeriesInterval,
    IReadOnlyList<RevenuePoint> RevenueSeries);

/// <summary>Revenue of one bucket, split by what the order is attributed to.</summary>
public sealed record RevenuePoint(DateTime Start, double Campaign, double Flow, double Form, double Other)
{
    public double Total => Campaign + Flow + Form + Other;
}
