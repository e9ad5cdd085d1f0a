using Klaviyo.Core.Accounts;
using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Reports;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Overview;

/// <summary>
/// The KPI cards, in the account's calendar. Revenue and orders are the sum of the revenue series,
/// whose buckets cover exactly the window (so the chart adds up to the card); form submissions the
/// same way; the email rates come from the reports of campaigns sent in the window, always over
/// delivered (Klaviyo's definitions); active subscribers are profiles consenting to email that
/// existed by the window's end.
/// </summary>
public sealed class OverviewReader(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, AccountReader accounts, ReportPlan plan)
{
    public static readonly SyncEntity[] Entities =
        [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Profiles, SyncEntity.Campaigns, SyncEntity.CampaignReports, SyncEntity.Account];

    /// <summary>What revenue, orders, form submissions and the series read: each KPI is known once its own entities have synced (the account gives the calendar).</summary>
    public static readonly SyncEntity[] EventReads = [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Account];
    public static readonly SyncEntity[] ProfileReads = [SyncEntity.Profiles, SyncEntity.Account];
    /// <summary>The email rates: campaigns and their reports, which Klaviyo's reporting tier paces (they arrive last).</summary>
    public static readonly SyncEntity[] ReportReads = [SyncEntity.Campaigns, SyncEntity.CampaignReports, SyncEntity.Metrics, SyncEntity.Account];

    public async Task<Fresh<OverviewResult>> ReadAsync(RangeRequest request, CompareTo compare, SeriesInterval? interval, string? conversionMetricId, Channel? channel,
        bool forceFresh, CancellationToken cancellationToken)
    {
        var (range, account) = await accounts.ResolveAsync(request, compare, cancellationToken);
        var chosen = interval ?? CalendarBuckets.DefaultFor(range.Current);
        var extra = $"{EnumText<SeriesInterval>.Of(chosen)}:{account.Timezone}:{conversionMetricId}:{EnumText<Channel>.Of(channel)}";
        var key = range.EndsNow
            ? CacheKeys.OverviewEndingNow(range.FirstDay!.Value.ToString("yyyy-MM-dd", null), range.LastDay!.Value.ToString("yyyy-MM-dd", null), EnumText<CompareTo>.Of(compare), extra)
            : CacheKeys.Overview(range.Current, range.Previous, extra);
        return await cache.GetAsync(key, Entities, forceFresh,
            token => ComputeAsync(range, compare, account, chosen, conversionMetricId, channel, token), cancellationToken);
    }

    private async Task<OverviewResult> ComputeAsync(ResolvedRange range, CompareTo compare, AccountInfo account, SeriesInterval interval,
        string? conversionMetricId, Channel? channel, CancellationToken cancellationToken)
    {
        // The buckets only when the database is read: a cached answer does not need them.
        var boundaries = CalendarBuckets.Boundaries(range.Current, account.Zone, interval);
        var previousBoundaries = range.Previous is null ? null : CalendarBuckets.Boundaries(range.Previous, account.Zone, interval);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (orderMetrics, conversionMetric) = await ConversionMetrics.ResolveAsync(db, conversionMetricId, cancellationToken);
        // Campaign statistics are read from the reports fetched for this metric; until they arrive they are unknown (null), never another metric's.
        var reportsMetric = conversionMetric?.Id ?? "";
        var statisticsKnown = conversionMetric is null || await plan.ArrivedAsync(db, SyncEntity.CampaignReports, reportsMetric, cancellationToken);
        var formMetrics = await db.MetricIdsNamedAsync(MetricNames.SubmittedForm, cancellationToken);
        var (current, previous) = (range.Current, range.Previous);

        var orders = await WindowSums.SumAsync(db, orderMetrics, boundaries, cancellationToken);
        // The comparison is drawn as one line: its totals per bucket suffice.
        var previousOrders = previousBoundaries is null ? null : await WindowSums.SumAsync(db, orderMetrics, previousBoundaries, cancellationToken, byChannel: false);
        var formTotals = await WindowTotals.SumAsync(db, formMetrics, previous is null ? [current] : [current, previous], cancellationToken);
        var (forms, previousForms) = (formTotals[0], previous is null ? (WindowTotal?)null : formTotals[1]);
        var channels = await ChannelsAsync(db, current, reportsMetric, cancellationToken);
        var previousChannels = previous is null ? null : await ChannelsAsync(db, previous, reportsMetric, cancellationToken);
        var email = Totals(channels, channel);
        var previousEmail = previousChannels is null ? null : Totals(previousChannels, channel);
        var (subscribers, previousSubscribers) = await ActiveSubscribersAsync(db, current.End, previous?.End, cancellationToken);

        return new OverviewResult(
            current,
            previous,
            compare,
            account.Timezone,
            account.Currency,
            TotalRevenue: new(orders.Sum(b => b.Total), previousOrders?.Sum(b => b.Total)),
            Orders: new(orders.Sum(b => b.Count), previousOrders?.Sum(b => b.Count)),
            ActiveSubscribers: new(subscribers, previousSubscribers),
            FormSubmissions: new(forms.Count, previousForms?.Count),
            OpenRate: !ChannelNames.HasOpens(channel) ? new(null, null) : new(email.Rate(t => t.OpensUnique), previousEmail?.Rate(t => t.OpensUnique)),
            ClickRate: new(email.Rate(t => t.ClicksUnique), previousEmail?.Rate(t => t.ClicksUnique)),
            ConversionRate: statisticsKnown ? new(email.Rate(t => t.ConversionUniques), previousEmail?.Rate(t => t.ConversionUniques)) : new(null, null),
            RevenuePerRecipient: statisticsKnown ? new(email.Rate(t => t.ConversionValue), previousEmail?.Rate(t => t.ConversionValue)) : new(null, null),
            interval,
            Points(orders),
            previousOrders is null ? null : Points(previousOrders),
            conversionMetric,
            statisticsKnown,
            channel,
            channels,
            AttributedShare(orders));
    }

    private static List<RevenuePoint> Points(IReadOnlyList<BucketTotal> buckets) =>
        [.. buckets.Select(b => new RevenuePoint(b.Start, b.End,
            b.Value[(int)AttributionChannel.Campaign], b.Value[(int)AttributionChannel.Flow], b.Value[(int)AttributionChannel.Form], b.Value[(int)AttributionChannel.Other]))];

    /// <summary>Campaigns sent in the window, summed per send channel from their reports for the conversion metric.</summary>
    private static async Task<IReadOnlyList<ChannelStatistics>> ChannelsAsync(KlaviyoDbContext db, DateRange range, string metricId, CancellationToken cancellationToken)
    {
        var rows = await db.CampaignStatistics
            .Where(s => s.ConversionMetricId == metricId)
            .Join(db.Campaigns.Where(c => c.SendTime >= range.Start && c.SendTime < range.End), s => s.CampaignId, c => c.Id, (s, c) => s)
            .GroupBy(s => s.Channel)
            .Select(g => new
            {
                g.Key,
                // A campaign sends on one channel: one row per campaign here.
                Campaigns = g.Count(),
                Recipients = g.Sum(s => s.Values.Recipients),
                Delivered = g.Sum(s => s.Values.Delivered),
                OpensUnique = g.Sum(s => s.Values.OpensUnique),
                ClicksUnique = g.Sum(s => s.Values.ClicksUnique),
                ConversionUniques = g.Sum(s => s.Values.ConversionUniques),
                Revenue = g.Sum(s => s.Values.ConversionValue),
            })
            .ToListAsync(cancellationToken);
        return [.. rows
            .Select(r => (Channel: ChannelNames.Parse(r.Key), Row: r))
            .Where(r => r.Channel is not null)
            .GroupBy(r => r.Channel!.Value)
            .Select(g => new ChannelStatistics(g.Key, g.Sum(r => r.Row.Campaigns), g.Sum(r => r.Row.Recipients), g.Sum(r => r.Row.Delivered),
                g.Key == Channel.Sms ? 0 : g.Sum(r => r.Row.OpensUnique), g.Sum(r => r.Row.ClicksUnique), g.Sum(r => r.Row.ConversionUniques), g.Sum(r => r.Row.Revenue)))
            .OrderBy(s => s.Channel)];
    }

    /// <summary>The email KPIs' totals: every channel's campaigns, or one channel's.</summary>
    private static EmailTotals Totals(IReadOnlyList<ChannelStatistics> channels, Channel? only)
    {
        var chosen = channels.Where(c => only is null || c.Channel == only).ToList();
        return new EmailTotals(chosen.Sum(c => c.Delivered), chosen.Sum(c => c.OpensUnique), chosen.Sum(c => c.ClicksUnique), chosen.Sum(c => c.ConversionUniques), chosen.Sum(c => c.Revenue));
    }

    /// <summary>The share of revenue attributed to a campaign, flow or form (the rest has no attribution); null without revenue.</summary>
    private static double? AttributedShare(IReadOnlyList<BucketTotal> buckets)
    {
        var total = buckets.Sum(b => b.Total);
        return total == 0 ? null : 1 - buckets.Sum(b => b.Value[(int)AttributionChannel.Other]) / total;
    }

    /// <summary>
    /// Profiles consenting to email that existed by each date. The largest part of an uncached
    /// overview is counting the (consent, created) index, so the later date's count is the earlier
    /// one plus the profiles created between them, instead of a second count from the beginning.
    /// </summary>
    private static async Task<(int Current, int? Previous)> ActiveSubscribersAsync(KlaviyoDbContext db, DateTime asOf, DateTime? previousAsOf, CancellationToken cancellationToken)
    {
        var subscribed = db.Profiles.Where(p => p.EmailConsent == ProfileConsent.Subscribed);
        if (previousAsOf is not { } before)
            return (await subscribed.CountAsync(p => p.Created < asOf, cancellationToken), null);
        var previous = await subscribed.CountAsync(p => p.Created < before, cancellationToken);
        var current = before <= asOf
            ? previous + await subscribed.CountAsync(p => p.Created >= before && p.Created < asOf, cancellationToken)
            : await subscribed.CountAsync(p => p.Created < asOf, cancellationToken);
        return (current, previous);
    }

    private sealed record EmailTotals(int Delivered, int OpensUnique, int ClicksUnique, int ConversionUniques, double ConversionValue)
    {
        public double? Rate(Func<EmailTotals, double> numerator) => Delivered == 0 ? null : numerator(this) / Delivered;
    }
}
