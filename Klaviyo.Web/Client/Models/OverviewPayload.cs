namespace Klaviyo.Web.Client.Models;

public sealed record OverviewData(OverviewPayload Overview);

public sealed record OverviewPayload(
    DateWindow Range,
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
    DateTime? LastUpdated,
    DataSource DataSource) : IFreshPayload;

public sealed record DateWindow(DateTime Start, DateTime End);

public sealed record Kpi(double? Value, double? PreviousValue, double? ChangePercent);

public sealed record RevenuePoint(DateTime Start, double Campaign, double Flow, double Form, double Other, double Total);

public enum SeriesInterval
{
    Hour,
    Day,
    Week,
    Month,
}
