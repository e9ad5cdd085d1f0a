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
/// not show: three small statements per account on one connection (the totals are added up by the
/// database), so a portfolio of dozens of accounts read from their databases
/// answers in tens of milliseconds.
/// </summary>
public sealed class PortfolioFigures(IDbContextFactory<KlaviyoDbContext> contexts, FreshCache cache, AccountReader accounts, ReportPlan plan)
{
    /// <summary>What the figures read (the row's lastUpdated is the oldest of them).</summary>
    public static readonly SyncEntity[] Entities =
        [SyncEntity.Events, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.CampaignReports, SyncEntity.Account];

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
        // The metrics first, in a statement of their own: each statement below then compares ids to a
        // parameter (one Placed Order metric: "= @id"), where a subquery in each of its arms cost SQLite
        // more to prepare and run than this statement.
        var (orderMetrics, conversionMetric) = await ConversionMetrics.ResolveAsync(db, null, cancellationToken);
        var (current, previous) = (range.Current, range.Previous);
        var sales = await WindowTotals.SumAsync(db, orderMetrics, previous is null ? [current] : [current, previous], cancellationToken);
        var conversion = await ConversionRatesAsync(db, conversionMetric?.Id ?? "", current, previous, cancellationToken);
        // No report row in either window: unknown, not "no conversions", until the reports for the metric have arrived.
        if (conversion.Rows == 0 && conversionMetric is not null && !await plan.ArrivedAsync(db, SyncEntity.CampaignReports, conversionMetric.Id, cancellationToken))
            conversion = (Kpi.Unknown, 0);
        WindowTotal? previousSales = previous is null ? null : sales[1];
        return new AccountFigures(account, current,
            new Kpi(sales[0].Sum, previousSales?.Sum),
            new Kpi(sales[0].Count, previousSales?.Count),
            conversion.Rates);
    }

    /// <summary>
    /// Conversions over delivered of the campaigns sent in each window (the overview's conversion rate), both
    /// windows in one statement.
    /// </summary>
    private static async Task<(Kpi Rates, int Rows)> ConversionRatesAsync(KlaviyoDbContext db, string metricId, DateRange current, DateRange? previous, CancellationToken cancellationToken)
    {
        var (previousStart, previousEnd) = previous is null ? (current.Start, current.Start) : (previous.Start, previous.End);
        // Grouped by channel too, and only the channels the overview rates kept (not WhatsApp, for one), here as the
        // overview does: a list of names in the statement is a parameter, whose SQL EF Core builds again each time.
        var sums = (await db.CampaignStatistics
            .Where(s => s.ConversionMetricId == metricId)
            .Join(db.Campaigns.Where(c => (c.SendTime >= current.Start && c.SendTime < current.End) || (c.SendTime >= previousStart && c.SendTime < previousEnd)),
                s => s.CampaignId, c => c.Id, (s, c) => new { Current = c.SendTime >= current.Start, s.Channel, s.Values.Delivered, s.Values.ConversionUniques })
            .GroupBy(r => new { r.Current, r.Channel })
            .Select(g => new { g.Key.Current, g.Key.Channel, Reports = g.Count(), Delivered = g.Sum(r => r.Delivered), Conversions = g.Sum(r => r.ConversionUniques) })
            .ToListAsync(cancellationToken))
            .Where(s => ChannelNames.Parse(s.Channel) is not null)
            .ToList();
        double? Rate(bool ofCurrent)
        {
            var window = sums.Where(s => s.Current == ofCurrent).ToList();
            var delivered = window.Sum(s => (long)s.Delivered);
            return delivered > 0 ? (double)window.Sum(s => (long)s.Conversions) / delivered : null;
        }
        return (new Kpi(Rate(true), previous is null ? null : Rate(false)), sums.Sum(s => s.Reports));
    }
}
