using Klaviyo.Core.Accounts;
using Klaviyo.Core.Channels;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.Overview;
using Klaviyo.Core.Reports;
using Klaviyo.Core.TimeRanges;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Portfolio;

/// <summary>One account's revenue, orders and conversion rate for a window and the window before it.</summary>
/// <param name="Info">The account as its calendar was read for the window (name, time zone, currency).</param>
/// <param name="ConversionRate">Null values until the campaign reports for the conversion metric have arrived.</param>
public sealed record AccountFigures(AccountInfo Info, DateRange Range, Kpi Revenue, Kpi Orders, Kpi ConversionRate);

/// <summary>
/// The three numbers of a portfolio row, read by the same rules as the overview's cards (revenue and
/// orders from the rollups of the Placed Order metrics, conversion over delivered from the reports of
/// campaigns sent in the window) but without the series, channels, subscribers and forms a row does
/// not show: one connection and a handful of statements per account, so a portfolio of dozens of
/// accounts read from their databases answers in tens of milliseconds.
/// </summary>
public sealed class PortfolioFigures(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, AccountReader accounts, ReportPlan plan)
{
    /// <summary>What the figures read (the row's lastUpdated is the oldest of them).</summary>
    public static readonly SyncEntity[] Entities =
        [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.CampaignReports, SyncEntity.Account];

    /// <summary>Channels the overview's rates add up (<see cref="ChannelNames.Parse"/> knows them); others, such as WhatsApp, are not in its totals.</summary>
    private static readonly string[] RatedChannels = [.. Enum.GetValues<Channel>().SelectMany(ChannelNames.Stored)];

    public async Task<Fresh<AccountFigures>> ReadAsync(RangeRequest request, CompareTo compare, bool forceFresh, CancellationToken cancellationToken)
    {
        var (range, account) = await accounts.ResolveAsync(request, compare, cancellationToken);
        var key = range.EndsNow
            ? CacheKeys.PortfolioEndingNow(range.FirstDay!.Value.ToString("yyyy-MM-dd", null), range.LastDay!.Value.ToString("yyyy-MM-dd", null), compare, account.Timezone)
            : CacheKeys.Portfolio(range.Current, range.Previous, account.Timezone);
        return await cache.GetAsync(key, Entities, forceFresh, token => ComputeAsync(account, range, token), cancellationToken);
    }

    private async Task<AccountFigures> ComputeAsync(AccountInfo account, ResolvedRange range, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Every statement below on one connection, opened once.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var (orderMetrics, conversionMetric) = await ConversionMetrics.ResolveAsync(db, null, cancellationToken);
        var (current, previous) = (range.Current, range.Previous);
        var (sales, previousSales) = await SalesAsync(db, orderMetrics, current, previous, cancellationToken);
        var conversion = await ConversionRatesAsync(db, conversionMetric?.Id ?? "", current, previous, cancellationToken);
        // No report row in either window: unknown, not "no conversions", until the reports for the metric have arrived.
        if (conversion.Rows == 0 && conversionMetric is not null && !await plan.ArrivedAsync(db, SyncEntity.CampaignReports, conversionMetric.Id, cancellationToken))
            conversion = (Kpi.Unknown, 0);
        return new AccountFigures(account, current,
            new Kpi(sales.Total, previousSales?.Total),
            new Kpi(sales.Count, previousSales?.Count),
            conversion.Rates);
    }

    /// <summary>
    /// Both windows' totals in one pass over the rollups: the previous window ends where the current one
    /// starts, or (a range ending now) at the same time of day a period earlier, a gap of hours between
    /// them read as a bucket of its own and dropped.
    /// </summary>
    private static async Task<(BucketTotal Current, BucketTotal? Previous)> SalesAsync(KlaviyoDbContext db, IReadOnlyList<string> metricIds, DateRange current, DateRange? previous, CancellationToken cancellationToken)
    {
        if (previous is null)
            return ((await WindowSums.SumAsync(db, metricIds, [current.Start, current.End], cancellationToken))[0], null);
        if (previous.End > current.Start)
        {
            var sales = (await WindowSums.SumAsync(db, metricIds, [current.Start, current.End], cancellationToken))[0];
            return (sales, (await WindowSums.SumAsync(db, metricIds, [previous.Start, previous.End], cancellationToken))[0]);
        }
        DateTime[] boundaries = previous.End == current.Start
            ? [previous.Start, current.Start, current.End]
            : [previous.Start, previous.End, current.Start, current.End];
        var buckets = await WindowSums.SumAsync(db, metricIds, boundaries, cancellationToken);
        return (buckets[^1], buckets[0]);
    }

    /// <summary>Conversions over delivered of the campaigns sent in each window (the overview's conversion rate), both windows in one statement.</summary>
    private static async Task<(Kpi Rates, int Rows)> ConversionRatesAsync(KlaviyoDbContext db, string metricId, DateRange current, DateRange? previous, CancellationToken cancellationToken)
    {
        var (previousStart, previousEnd) = previous is null ? (current.Start, current.Start) : (previous.Start, previous.End);
        var sums = await db.CampaignStatistics
            .Where(s => s.ConversionMetricId == metricId && RatedChannels.Contains(s.Channel))
            .Join(db.Campaigns.Where(c => (c.SendTime >= current.Start && c.SendTime < current.End) || (c.SendTime >= previousStart && c.SendTime < previousEnd)),
                s => s.CampaignId, c => c.Id, (s, c) => new { Current = c.SendTime >= current.Start, s.Values.Delivered, s.Values.ConversionUniques })
            .GroupBy(r => r.Current)
            .Select(g => new { g.Key, Reports = g.Count(), Delivered = g.Sum(r => r.Delivered), Conversions = g.Sum(r => r.ConversionUniques) })
            .ToListAsync(cancellationToken);
        double? Rate(bool ofCurrent) =>
            sums.FirstOrDefault(s => s.Key == ofCurrent) is { Delivered: > 0 } window ? (double)window.Conversions / window.Delivered : null;
        return (new Kpi(Rate(true), previous is null ? null : Rate(false)), sums.Sum(s => s.Reports));
    }
}
