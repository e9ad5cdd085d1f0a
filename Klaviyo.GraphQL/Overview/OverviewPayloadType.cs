using GraphQL.Types;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Overview;

public sealed class OverviewPayloadType : ObjectGraphType<Fresh<OverviewResult>>
{
    public OverviewPayloadType()
    {
        Name = "OverviewPayload";
        Description = "The KPI cards and revenue series for a window.";
        Field<NonNullGraphType<DateRangeType>>("range").Description("The window, truncated to the hour.").Resolve(c => c.Source.Data.Range);
        Field<NonNullGraphType<DateRangeType>>("previousRange").Description("The window of equal length before it, which % change compares against.").Resolve(c => c.Source.Data.PreviousRange);
        Kpi("totalRevenue", "Placed-order value in the window.", r => r.TotalRevenue);
        Kpi("orders", "Placed orders in the window.", r => r.Orders);
        Kpi("activeSubscribers", "Profiles consenting to email marketing that existed by the window's end.", r => r.ActiveSubscribers);
        Kpi("formSubmissions", "Sign-up form submissions in the window.", r => r.FormSubmissions);
        Kpi("openRate", "Unique opens ÷ delivered, over campaigns sent in the window.", r => r.OpenRate);
        Kpi("clickRate", "Unique clicks ÷ delivered, over campaigns sent in the window.", r => r.ClickRate);
        Kpi("conversionRate", "Unique conversions ÷ delivered, over campaigns sent in the window.", r => r.ConversionRate);
        Kpi("revenuePerRecipient", "Conversion value ÷ delivered, over campaigns sent in the window.", r => r.RevenuePerRecipient);
        Field<NonNullGraphType<SeriesIntervalType>>("seriesInterval").Description("The bucket width of revenueSeries: HOUR up to two days, else DAY.").Resolve(c => c.Source.Data.SeriesInterval);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RevenuePointType>>>>("revenueSeries").Description("Revenue per bucket by attribution; every bucket present, zero when nothing was ordered.").Resolve(c => c.Source.Data.RevenueSeries);
        this.AddFreshnessFields();
    }

    private void Kpi(string name, string description, Func<OverviewResult, Kpi> select) =>
        Field<NonNullGraphType<KpiType>>(name).Description(description).Resolve(c => select(c.Source.Data));
}
