using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Reports;

/// <summary>
/// Which conversion metrics the campaign and flow reports are fetched for, and how often, so that
/// the whole plan fits Klaviyo's daily budget: Placed Order always, plus the metrics someone asked
/// for lately (up to <see cref="SyncOptions.MaxReportMetrics"/>). Each metric costs one report per
/// page per entity and run; when the day's calls would exceed the budget (less a reserve for
/// retries and manual refreshes) the report intervals stretch instead of the budget running out.
/// </summary>
public sealed class ReportPlan(IOptions<SyncOptions> sync, IOptions<KlaviyoOptions> klaviyo, TimeProvider time)
{
    public static readonly SyncEntity[] Entities = [SyncEntity.CampaignReports, SyncEntity.FlowReports, SyncEntity.FormReports];

    /// <summary>The share of the budget the schedule plans for; the rest absorbs retries and refreshes.</summary>
    public const double PlannedShare = 0.9;

    private readonly ConcurrentDictionary<SyncEntity, int> _pagesPerReport = new();
    private readonly ConcurrentDictionary<string, DateTime> _recorded = new();
    private volatile int _metricCount = 1;

    public static bool IsReport(SyncEntity entity) => Entities.Contains(entity);

    /// <summary>The metrics to fetch now: Placed Order first, then the most recently requested ones that still exist.</summary>
    public async Task<IReadOnlyList<Metric>> MetricsAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow().UtcDateTime - sync.Value.ReportMetricRetention;
        var (_, placed) = await ConversionMetrics.ResolveAsync(db, null, cancellationToken);
        var requested = await db.ReportMetricRequests.AsNoTracking().Where(r => r.RequestedAt >= since).OrderByDescending(r => r.RequestedAt)
            .Join(db.Metrics.AsNoTracking(), r => r.MetricId, m => m.Id, (r, m) => m)
            .Take(sync.Value.MaxReportMetrics).ToListAsync(cancellationToken);
        List<Metric> metrics = [.. placed is null ? [] : new[] { placed }, .. requested.Where(m => m.Id != placed?.Id)];
        metrics = [.. metrics.Take(Math.Max(1, sync.Value.MaxReportMetrics))];
        _metricCount = Math.Max(1, metrics.Count);
        return metrics;
    }

    /// <summary>
    /// Whether the campaign or flow reports of a metric are stored yet; if not, the metric joins the
    /// plan so the next report run fetches them.
    /// </summary>
    public async Task<bool> ArrivedAsync(KlaviyoDbContext db, SyncEntity reports, string metricId, CancellationToken cancellationToken)
    {
        var arrived = reports == SyncEntity.FlowReports
            ? await db.FlowStatistics.AnyAsync(s => s.ConversionMetricId == metricId, cancellationToken)
            : await db.CampaignStatistics.AnyAsync(s => s.ConversionMetricId == metricId, cancellationToken);
        if (!arrived)
            await RequestAsync(db, metricId, cancellationToken);
        return arrived;
    }

    /// <summary>
    /// Puts a metric in the plan (someone asked for it). Written at most once an hour per metric
    /// per process, so reading a table does not write each time.
    /// </summary>
    private async Task RequestAsync(KlaviyoDbContext db, string metricId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_recorded.TryGetValue(metricId, out var last) && now - last < TimeSpan.FromHours(1))
            return;
        _recorded[metricId] = now;
        if (await db.ReportMetricRequests.Where(r => r.MetricId == metricId).ExecuteUpdateAsync(s => s.SetProperty(r => r.RequestedAt, now), cancellationToken) == 0)
        {
            try
            {
                db.ReportMetricRequests.Add(new ReportMetricRequest { MetricId = metricId, RequestedAt = now });
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Recorded by a concurrent request: that is all this wanted.
            }
        }
    }

    /// <summary>
    /// Report entities that synced within their interval: a Refresh of everything leaves them to the
    /// schedule, since each report run spends Klaviyo's daily budget (about 27 clicks would spend it all).
    /// </summary>
    public async Task<IReadOnlyList<SyncEntity>> FreshAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var synced = await db.SyncStates.AsNoTracking().Where(s => Entities.Contains(s.Entity) && s.LastSuccessAt != null)
            .Select(s => new { s.Entity, s.LastSuccessAt }).ToListAsync(cancellationToken);
        return [.. synced.Where(s => now - s.LastSuccessAt!.Value < IntervalOf(s.Entity)).Select(s => s.Entity).Order()];
    }

    /// <summary>What the last run of a report entity cost per metric (its pages), for the plan.</summary>
    public void Observe(SyncEntity entity, int pagesPerReport) => _pagesPerReport[entity] = Math.Max(1, pagesPerReport);

    /// <summary>Calls one run of the entity makes: a report per metric (forms have none) times its pages.</summary>
    public int CallsPerRun(SyncEntity entity) =>
        _pagesPerReport.GetValueOrDefault(entity, 1) * (entity == SyncEntity.FormReports ? 1 : _metricCount);

    /// <summary>The configured interval, stretched for report entities while the plan would overspend the day.</summary>
    public TimeSpan IntervalOf(SyncEntity entity) =>
        IsReport(entity) ? sync.Value.IntervalOf(entity) * Stretch() : sync.Value.IntervalOf(entity);

    /// <summary>Reporting calls a day at the configured intervals, before any stretching.</summary>
    private double UnstretchedDailyCalls() =>
        Entities.Sum(e => CallsPerRun(e) * TimeSpan.FromDays(1) / sync.Value.IntervalOf(e));

    private double Stretch() => Math.Max(1, UnstretchedDailyCalls() / (klaviyo.Value.ReportDailyBudget * PlannedShare));

    public ReportPlanSnapshot Snapshot(IReadOnlyList<Metric> metrics, int spentToday, DateTime renewsAt)
    {
        var entities = Entities.Select(e => new ReportEntityPlan(e, CallsPerRun(e), IntervalOf(e))).ToList();
        var daily = (int)Math.Ceiling(entities.Sum(e => e.CallsPerRun * TimeSpan.FromDays(1) / e.Interval));
        return new ReportPlanSnapshot(metrics, entities, daily, klaviyo.Value.ReportDailyBudget, spentToday, renewsAt);
    }
}

public sealed record ReportEntityPlan(SyncEntity Entity, int CallsPerRun, TimeSpan Interval);

/// <param name="DailyCalls">What the plan spends in a day at its intervals.</param>
public sealed record ReportPlanSnapshot(IReadOnlyList<Metric> Metrics, IReadOnlyList<ReportEntityPlan> Entities, int DailyCalls, int DailyBudget, int SpentToday, DateTime RenewsAt)
{
    public bool Exhausted => SpentToday >= DailyBudget;
}
