using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Overview;

/// <summary>
/// The KPI cards. Revenue, orders and form submissions come from metric rollups; the email rates
/// come from the reports of campaigns sent in the window, always over delivered (Klaviyo's
/// definitions); active subscribers are profiles consenting to email that existed by the window's end.
/// </summary>
public sealed class OverviewReader(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache)
{
    public static readonly SyncEntity[] Entities =
        [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Profiles, SyncEntity.Campaigns, SyncEntity.CampaignReports];

    /// <summary>Ranges up to this long get an hourly revenue series; longer ones a daily one.</summary>
    private static readonly TimeSpan HourlySeriesUpTo = TimeSpan.FromDays(2);

    public Task<Fresh<OverviewResult>> ReadAsync(DateRange range, bool forceFresh, CancellationToken cancellationToken) =>
        cache.GetAsync(CacheKeys.Overview(range), Entities, forceFresh, token => ComputeAsync(range, token), cancellationToken);

    private async Task<OverviewResult> ComputeAsync(DateRange range, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var orderMetrics = await db.MetricIdsNamedAsync(MetricNames.PlacedOrder, cancellationToken);
        var formMetrics = await db.MetricIdsNamedAsync(MetricNames.SubmittedForm, cancellationToken);
        var previous = range.Previous();

        var orders = await db.MetricRollups.TotalAsync(orderMetrics, range, cancellationToken);
        var previousOrders = await db.MetricRollups.TotalAsync(orderMetrics, previous, cancellationToken);
        var forms = await db.MetricRollups.TotalAsync(formMetrics, range, cancellationToken);
        var previousForms = await db.MetricRollups.TotalAsync(formMetrics, previous, cancellationToken);
        var email = await EmailTotalsAsync(db, range, cancellationToken);
        var previousEmail = await EmailTotalsAsync(db, previous, cancellationToken);
        var subscribers = await ActiveSubscribersAsync(db, range.End, cancellationToken);
        var previousSubscribers = await ActiveSubscribersAsync(db, previous.End, cancellationToken);
        var (interval, series) = await RevenueSeriesAsync(db, orderMetrics, range, cancellationToken);

        return new OverviewResult(
            range,
            previous,
            TotalRevenue: new(orders.Sum, previousOrders.Sum),
            Orders: new(orders.Count, previousOrders.Count),
            ActiveSubscribers: new(subscribers, previousSubscribers),
            FormSubmissions: new(forms.Count, previousForms.Count),
            OpenRate: new(email.Rate(t => t.OpensUnique), previousEmail.Rate(t => t.OpensUnique)),
            ClickRate: new(email.Rate(t => t.ClicksUnique), previousEmail.Rate(t => t.ClicksUnique)),
            ConversionRate: new(email.Rate(t => t.ConversionUniques), previousEmail.Rate(t => t.ConversionUniques)),
            RevenuePerRecipient: new(email.Rate(t => t.ConversionValue), previousEmail.Rate(t => t.ConversionValue)),
            interval,
            series);
    }

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

    private static async Task<(SeriesInterval Interval, IReadOnlyList<RevenuePoint> Points)> RevenueSeriesAsync(
        KlaviyoDbContext db, IReadOnlyCollection<string> orderMetrics, DateRange range, CancellationToken cancellationToken)
    {
        var hourly = range.Length <= HourlySeriesUpTo;
        var (granularity, step, window) = hourly
            ? (RollupGranularity.Hour, TimeSpan.FromHours(1), range)
            : (RollupGranularity.Day, TimeSpan.FromDays(1), new DateRange(range.Start.Date, range.End.TimeOfDay == TimeSpan.Zero ? range.End : range.End.Date.AddDays(1)));
        var buckets = await db.MetricRollups.BucketsAsync(orderMetrics, granularity, window, cancellationToken);
        var byStart = buckets.ToLookup(b => b.BucketStart);
        var points = new List<RevenuePoint>();
        for (var at = window.Start; at < window.End; at += step)
        {
            var row = byStart[at].ToList();
            double Sum(AttributionChannel channel) => row.Where(b => b.Channel == channel).Sum(b => b.SumValue);
            points.Add(new RevenuePoint(at, Sum(AttributionChannel.Campaign), Sum(AttributionChannel.Flow), Sum(AttributionChannel.Form), Sum(AttributionChannel.Other)));
        }
        return (hourly ? SeriesInterval.Hour : SeriesInterval.Day, points);
    }

    private sealed record EmailTotals(int Delivered, int OpensUnique, int ClicksUnique, int ConversionUniques, double ConversionValue)
    {
        public double? Rate(Func<EmailTotals, double> numerator) => Delivered == 0 ? null : numerator(this) / Delivered;
    }
}
