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
/// <param name="ConversionRate">Null values until the campaign reports for the conversion metric have arrived.</param>
public sealed record AccountFigures(DateRange Range, Kpi Revenue, Kpi Orders, Kpi ConversionRate);

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
        return await cache.GetAsync(key, Entities, forceFresh, token => ComputeAsync(range, token), cancellationToken);
    }

    private async Task<AccountFigures> ComputeAsync(ResolvedRange range, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // Every statement below on one connection, opened once.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var (orderMetrics, conversionMetric) = await ConversionMetrics.ResolveAsync(db, null, cancellationToken);
        var (current, previous) = (range.Current, range.Previous);
        var (sales, previousSales) = await SalesAsync(db, orderMetrics, current, previous, cancellationToken);
        var statisticsKnown = conversionMetric is null || await plan.ArrivedAsync(db, SyncEntity.CampaignReports, conversionMetric.Id, cancellationToken);
        var conversion = statisticsKnown
            ? await ConversionRatesAsync(db, conversionMetric?.Id ?? "", current, previous, cancellationToken)
            : Kpi.Unknown;
        return new AccountFigures(current,
            new Kpi(sales.Total, previousSales?.Total),
            new Kpi(sales.Count, previousSales?.Count),
            conversion);
    }

    /// <summary>Both windows' totals; when the previous one ends where the current one starts (the previous period), in one pass over the rollups.</summary>
    private static async Task<(BucketTotal Current, BucketTotal? Previous)> SalesAsync(KlaviyoDbContext db, IReadOnlyList<string> metricIds, DateRange current, DateRange? previous, CancellationToken cancellationToken)
    {
        if (previous is not null && previous.End == current.Start)
        {
            var both = await WindowSums.SumAsync(db, metricIds, [previous.Start, current.Start, current.End], cancellationToken);
            return (both[1], both[0]);
        }
        var sales = (await WindowSums.SumAsync(db, metricIds, [current.Start, current.End], cancellationToken))[0];
        var previousSales = previous is null ? null : (await WindowSums.SumAsync(db, metricIds, [previous.Start, previous.End], cancellationToken))[0];
        return (sales, previousSales);
    }

    /// <summary>Conversions over delivered of the campaigns sent in each window (the overview's conversion rate), both windows in one statement.</summary>
    private static async Task<Kpi> ConversionRatesAsync(KlaviyoDbContext db, string metricId, DateRange current, DateRange? previous, CancellationToken cancellationToken)
    {
        var (previousStart, previousEnd) = previous is null ? (current.Start, current.Start) : (previous.Start, previous.End);
        var sums = await db.CampaignStatistics
            .Where(s => s.ConversionMetricId == metricId && RatedChannels.Contains(s.Channel))
            .Join(db.Campaigns.Where(c => (c.SendTime >= current.Start && c.SendTime < current.End) || (c.SendTime >= previousStart && c.SendTime < previousEnd)),
                s => s.CampaignId, c => c.Id, (s, c) => new { Current = c.SendTime >= current.Start, s.Values.Delivered, s.Values.ConversionUniques })
            .GroupBy(r => r.Current)
            .Select(g => new { g.Key, Delivered = g.Sum(r => r.Delivered), Conversions = g.Sum(r => r.ConversionUniques) })
            .ToListAsync(cancellationToken);
        double? Rate(bool ofCurrent) =>
            sums.FirstOrDefault(s => s.Key == ofCurrent) is { Delivered: > 0 } window ? (double)window.Conversions / window.Delivered : null;
        return new Kpi(Rate(true), previous is null ? null : Rate(false));
    }
}
