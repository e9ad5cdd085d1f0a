using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Overview;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Execution;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Overview;

public sealed class OverviewPayloadType : ObjectGraphType<Fresh<OverviewResult>>
{
    public OverviewPayloadType()
    {
        Name = "OverviewPayload";
        Description = "The KPI cards and revenue series for a window, in the account's time zone and currency.";
        Field<NonNullGraphType<DateRangeType>>("range").Description("The instants used: from the first day's local midnight to the next day's after the last, or now.").Resolve(c => c.Source.Data.Range);
        Field<DateRangeType>("previousRange").Description("The comparison window; null with compareTo NONE.").Resolve(c => c.Source.Data.PreviousRange);
        Field<NonNullGraphType<CompareToType>>("compareTo").Resolve(c => c.Source.Data.CompareTo);
        Field<NonNullGraphType<StringGraphType>>("timezone").Description("The IANA time zone days and buckets are read in.").Resolve(c => c.Source.Data.Timezone);
        Field<NonNullGraphType<StringGraphType>>("currency").Description("ISO 4217 code of every money value here (revenue, revenue per recipient, the series).").Resolve(c => c.Source.Data.Currency);
        Field<MetricType>("conversionMetric").Description("The metric revenue and orders are read from; null before any Placed Order metric has synced.").Resolve(c => c.Source.Data.ConversionMetric);
        Field<NonNullGraphType<BooleanGraphType>>("conversionStatisticsAvailable")
            .Description("Whether conversionRate and revenuePerRecipient are known for this conversion metric (the campaign reports are fetched for Placed Order; for another metric they are null).")
            .Resolve(c => c.Source.Data.ConversionStatisticsAvailable);
        Kpi("totalRevenue", "Conversion-metric value in the window (the sum of revenueSeries).", r => r.TotalRevenue, OverviewReader.EventReads);
        Kpi("orders", "Conversion-metric events in the window.", r => r.Orders, OverviewReader.EventReads);
        Kpi("activeSubscribers", "Profiles consenting to email marketing that existed by the window's end.", r => r.ActiveSubscribers, OverviewReader.ProfileReads);
        Kpi("formSubmissions", "Sign-up form submissions in the window.", r => r.FormSubmissions, OverviewReader.EventReads);
        Kpi("openRate", "Unique opens ÷ delivered, over campaigns sent in the window.", r => r.OpenRate, OverviewReader.ReportReads);
        Kpi("clickRate", "Unique clicks ÷ delivered, over campaigns sent in the window.", r => r.ClickRate, OverviewReader.ReportReads);
        Kpi("conversionRate", "Unique conversions ÷ delivered, over campaigns sent in the window.", r => r.ConversionRate, OverviewReader.ReportReads);
        Kpi("revenuePerRecipient", "Conversion value ÷ delivered, over campaigns sent in the window.", r => r.RevenuePerRecipient, OverviewReader.ReportReads);
        Field<Channels.ChannelType>("channel").Description("The channel the email KPIs are filtered to; null for all.").Resolve(c => c.Source.Data.Channel);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Channels.ChannelStatisticsType>>>>("channels")
            .Description("Campaigns sent in the window, per channel: recipients, revenue and rates (no open rate for SMS).").Resolve(c => c.Source.Data.Channels)
            .WithImmutableItems();
        Field<FloatGraphType>("attributedRevenueShare").Description("The share (0–1) of totalRevenue attributed to a campaign, flow or form; null without revenue, or before events have synced.")
            .ResolveAsync(async c => await KnownAsync(c, OverviewReader.EventReads) is null ? null : c.Source.Data.AttributedRevenueShare);
        Field<NonNullGraphType<SeriesIntervalType>>("seriesInterval").Description("The bucket width of the series.").Resolve(c => c.Source.Data.SeriesInterval);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RevenuePointType>>>>("revenueSeries")
            .Description("Revenue per local bucket by attribution; the buckets cover exactly the window (the first and last clipped) and add up to totalRevenue. " +
                "Empty until events have synced once (totalRevenue.lastUpdated null): no bucket is a made-up 0.")
            .ResolveAsync(async c => await KnownAsync(c, OverviewReader.EventReads) is null ? [] : c.Source.Data.RevenueSeries)
            .WithImmutableItems();
        Field<ListGraphType<NonNullGraphType<ComparisonPointType>>>("previousRevenueSeries")
            .Description("The same over the comparison window, bucket for bucket, for an overlay; null with compareTo NONE; empty until events have synced once.")
            .ResolveAsync(async c => c.Source.Data.PreviousRevenueSeries is null ? null : await PreviousKnownAsync(c, OverviewReader.EventReads) is null ? [] : c.Source.Data.PreviousRevenueSeries)
            .WithImmutableItems();
        this.AddFreshnessFields();
    }

    /// <summary>
    /// A KPI with its own lastUpdated, from the sync clock at this answer: known as soon as what it reads has
    /// synced for its window, never before; its comparison likewise (a first sync reads recent events first).
    /// </summary>
    private void Kpi(string name, string description, Func<OverviewResult, Kpi> select, SyncEntity[] reads) =>
        // A ValueTask resolver: the clock answers at once, and eight Tasks per overview cost more than the cards.
        Field<NonNullGraphType<KpiType>>(name).Description(description).Resolve(new FuncFieldResolver<Fresh<OverviewResult>, Kpi>(async ValueTask<Kpi?> (c) =>
        {
            if (await KnownAsync(c, reads) is not { } at)
                return LabelledKpis.Label(select(c.Source.Data), at: null, previousAt: null);
            return LabelledKpis.Label(select(c.Source.Data), at, await PreviousKnownAsync(c, reads));
        })).WithImmutableFields();

    /// <summary>When what the window reads was last confirmed; null until it has all synced (the window's part of it, during a first sync).</summary>
    private static ValueTask<DateTime?> KnownAsync(IResolveFieldContext<Fresh<OverviewResult>> c, SyncEntity[] reads) =>
        c.AccountServices().GetRequiredService<SyncClock>().LastUpdatedAsync(reads, c.Source.Data.Range.Start, c.CancellationToken);

    /// <summary>The same for the comparison window; null without one.</summary>
    private static async ValueTask<DateTime?> PreviousKnownAsync(IResolveFieldContext<Fresh<OverviewResult>> c, SyncEntity[] reads) =>
        c.Source.Data.PreviousRange is { } previous
            ? await c.AccountServices().GetRequiredService<SyncClock>().LastUpdatedAsync(reads, previous.Start, c.CancellationToken)
            : null;
}
