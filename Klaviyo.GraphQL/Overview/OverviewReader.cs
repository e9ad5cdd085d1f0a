using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Overview;

/// <summary>
/// The KPI cards, in the account's calendar. Revenue and orders are the sum of the revenue series,
/// whose buckets cover exactly the window (so the chart adds up to the card); form submissions the
/// same way; the email rates come from the reports of campaigns sent in the window, always over
/// delivered (Klaviyo's definitions); active subscribers are profiles consenting to email that
/// existed by the window's end.
/// </summary>
public sealed class OverviewReader(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, AccountReader accounts)
{
    public static readonly SyncEntity[] Entities =
        [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Profiles, SyncEntity.Campaigns, SyncEntity.CampaignReports, SyncEntity.Account];

    public async Task<Fresh<OverviewResult>> ReadAsync(RangeRequest request, CompareTo compare, SeriesInterval? interval, string? conversionMetricId, bool forceFresh, CancellationToken cancellationToken)
    {
        var (range, account) = await accounts.ResolveAsync(request, compare, cancellationToken);
        var chosen = interval ?? CalendarBuckets.DefaultFor(range.Current);
        var boundaries = CalendarBuckets.Boundaries(range.Current, account.Zone, chosen);
        var previousBoundaries = range.Previous is null ? null : CalendarBuckets.Boundaries(range.Previous, account.Zone, chosen);
        return await cache.GetAsync(CacheKeys.Overview(range.Current, range.Previous, $"{chosen}:{account.Timezone}:{conversionMetricId}"), Entities, forceFresh,
            token => ComputeAsync(range, compare, account, chosen, boundaries, previousBoundaries, conversionMetricId, token), cancellationToken);
    }

    private async Task<OverviewResult> ComputeAsync(ResolvedRange range, CompareTo compare, AccountInfo account, SeriesInterval interval,
        IReadOnlyList<DateTime> boundaries, IReadOnlyList<DateTime>? previousBoundaries, string? conversionMetricId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (orderMetrics, conversionMetric) = await ConversionMetrics.ResolveAsync(db, conversionMetricId, cancellationToken);
        // Campaign conversion statistics come from reports fetched for one metric: for any other, they are unknown (null), never another metric's.
        var reportsMetric = await ConversionMetrics.ReportsMetricAsync(db, cancellationToken);
        var statisticsKnown = conversionMetric is null || conversionMetric.Id == reportsMetric;
        var formMetrics = await db.MetricIdsNamedAsync(MetricNames.SubmittedForm, cancellationToken);
        var (current, previous) = (range.Current, range.Previous);

        var orders = await WindowSums.SumAsync(db, orderMetrics, boundaries, cancellationToken);
        var previousOrders = previousBoundaries is null ? null : await WindowSums.SumAsync(db, orderMetrics, previousBoundaries, cancellationToken);
        var forms = await WindowSums.SumAsync(db, formMetrics, [current.Start, current.End], cancellationToken);
        var previousForms = previous is null ? null : await WindowSums.SumAsync(db, formMetrics, [previous.Start, previous.End], cancellationToken);
        var email = await EmailTotalsAsync(db, current, cancellationToken);
        var previousEmail = previous is null ? null : await EmailTotalsAsync(db, previous, cancellationToken);
        var subscribers = await ActiveSubscribersAsync(db, current.End, cancellationToken);
        int? previousSubscribers = previous is null ? null : await ActiveSubscribersAsync(db, previous.End, cancellationToken);

        return new OverviewResult(
            current,
            previous,
            compare,
            account.Timezone,
            account.Currency,
            TotalRevenue: new(orders.Sum(b => b.Total), previousOrders?.Sum(b => b.Total)),
            Orders: new(orders.Sum(b => b.Count), previousOrders?.Sum(b => b.Count)),
            ActiveSubscribers: new(subscribers, previousSubscribers),
            FormSubmissions: new(forms.Sum(b => b.Count), previousForms?.Sum(b => b.Count)),
            OpenRate: new(email.Rate(t => t.OpensUnique), previousEmail?.Rate(t => t.OpensUnique)),
            ClickRate: new(email.Rate(t => t.ClicksUnique), previousEmail?.Rate(t => t.ClicksUnique)),
            ConversionRate: statisticsKnown ? new(email.Rate(t => t.ConversionUniques), previousEmail?.Rate(t => t.ConversionUniques)) : new(null, null),
            RevenuePerRecipient: statisticsKnown ? new(email.Rate(t => t.ConversionValue), previousEmail?.Rate(t => t.ConversionValue)) : new(null, null),
            interval,
            Points(orders),
            previousOrders is null ? null : Points(previousOrders),
            conversionMetric,
            statisticsKnown);
    }

    private static List<RevenuePoint> Points(IReadOnlyList<BucketTotal> buckets) =>
        [.. buckets.Select(b => new RevenuePoint(b.Start, b.End,
            b.Value[(int)AttributionChannel.Campaign], b.Value[(int)AttributionChannel.Flow], b.Value[(int)AttributionChannel.Form], b.Value[(int)AttributionChannel.Other]))];

    private static async Task<EmailTotals> EmailTotalsAsync(KlaviyoDbContext db, DateRange range, CancellationToken cancellationToken)
    {
        var totals = await db.CampaignStatistics
            .Where(s => db.Campaigns.Any(c => c.Id == s.CampaignId && c.SendTime >= range.Start && c.SendTime < range.End))
            .GroupBy(_ => 1)
            .Select(g => new EmailTotals(
                g.Sum(s => s.Values.Delivered),
                g.Sum(s => s.Values.OpensUnique),
                g.Sum(s => s.Values.ClicksUnique),
                g.Sum(s => s.Values.ConversionUniques),
                g.Sum(s => s.Values.ConversionValue)))
            .SingleOrDefaultAsync(cancellationToken);
        return totals ?? new EmailTotals(0, 0, 0, 0, 0);
    }

    private static Task<int> ActiveSubscribersAsync(KlaviyoDbContext db, DateTime asOf, CancellationToken cancellationToken) =>
        db.Profiles.CountAsync(p => p.EmailConsent == ProfileConsent.Subscribed && p.Created < asOf, cancellationToken);

    private sealed record EmailTotals(int Delivered, int OpensUnique, int ClicksUnique, int ConversionUniques, double ConversionValue)
    {
        public double? Rate(Func<EmailTotals, double> numerator) => Delivered == 0 ? null : numerator(this) / Delivered;
    }
}
