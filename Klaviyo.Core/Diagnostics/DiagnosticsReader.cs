using System.Diagnostics;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Reports;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Diagnostics;

/// <summary>
/// Reads each part of the diagnostics when asked for it (the database part counts rows: a query that
/// wants only the mode and current errors does not pay for it). Database parts degrade to
/// "unreachable" instead of failing.
/// </summary>
public sealed class DiagnosticsReader(
    RequestStatistics requests,
    CacheStatistics cache,
    KlaviyoClientStatistics klaviyo,
    ReportBudget reportBudget,
    ReportPlan reportPlan,
    KlaviyoConnection connection,
    IOptions<KlaviyoOptions> klaviyoOptions,
    DatabaseProbe database,
    IDbContextFactory<KlaviyoDbContext> contexts,
    SyncCoordinator coordinator,
    IOptions<SyncOptions> syncOptions,
    SubscriptionStatistics subscriptions,
    EventBus bus,
    ApiErrorBoard errors,
    Webhooks.WebhookStatus webhooks,
    Coordination.LeaderLease lease,
    IHostEnvironment environment,
    TimeProvider time)
{
    public Webhooks.WebhookStatus Webhooks => webhooks;
    public Coordination.LeaderLease Instance => lease;

    private const int RecentRuns = 10;
    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public CacheDiagnostics ReadCache() => new(cache.Hits, cache.ResponseHits, cache.Misses, cache.FailSafeActivations, cache.Evictions);

    public SubscriptionDiagnostics ReadSubscriptions() => new(subscriptions.OpenSockets, subscriptions.ActiveOperations, subscriptions.SocketsAccepted, bus.Subscribers);

    public IReadOnlyList<CurrentError> ReadErrors() => errors.Current;

    public ProcessDiagnostics ReadProcess()
    {
        var now = Now;
        using var process = Process.GetCurrentProcess();
        var started = process.StartTime.ToUniversalTime();
        return new ProcessDiagnostics(
            AppVersion.Current, environment.EnvironmentName, started, (now - started).TotalSeconds,
            process.WorkingSet64, GC.GetTotalMemory(false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            process.Threads.Count);
    }

    public RequestDiagnostics ReadRequests()
    {
        var percentiles = requests.Percentiles();
        return new RequestDiagnostics(requests.Total, requests.Errors, requests.InFlight,
            percentiles?.P50, percentiles?.P95, percentiles?.P99, requests.Operations);
    }

    public async Task<KlaviyoDiagnostics> ReadKlaviyoAsync(CancellationToken cancellationToken)
    {
        var options = klaviyoOptions.Value;
        int? callsToday;
        try
        {
            (callsToday, _) = await reportBudget.TodayAsync(cancellationToken);
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            callsToday = null; // the budget lives in the database: unknown while it does not answer
        }
        string baseUrl;
        try
        {
            baseUrl = connection.BaseUrl.ToString();
        }
        catch (InvalidOperationException)
        {
            baseUrl = "(not listening yet)";
        }
        return new KlaviyoDiagnostics(connection.Mode, baseUrl, options.Revision, klaviyo.Requests, klaviyo.RateLimited, klaviyo.Retries,
            klaviyo.LastRateLimitRemaining, callsToday, callsToday is null ? null : Math.Max(0, options.ReportDailyBudget - callsToday.Value));
    }

    /// <summary>The report plan: metrics fetched, what a run and a day cost, the budget left.</summary>
    public async Task<ReportPlanSnapshot?> ReadReportPlanAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var metrics = await reportPlan.MetricsAsync(db, cancellationToken);
            var (spent, renews) = await reportBudget.TodayAsync(cancellationToken);
            return reportPlan.Snapshot(metrics, spent, renews);
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            return null;
        }
    }

    public async Task<DatabaseDiagnostics> ReadDatabaseAsync(CancellationToken cancellationToken)
    {
        var (reachable, latency, error) = await database.PingAsync(cancellationToken);
        if (!reachable)
            return new DatabaseDiagnostics(database.Provider, false, latency, error, null, []);
        try
        {
            return new DatabaseDiagnostics(database.Provider, true, latency, null,
                await database.SizeBytesAsync(cancellationToken), await database.RowCountsAsync(cancellationToken));
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            return new DatabaseDiagnostics(database.Provider, false, latency, ApiErrorBoard.DetailInLog, null, []);
        }
    }

    public async Task<SyncDiagnostics> ReadSyncAsync(CancellationToken cancellationToken)
    {
        var running = Enum.GetValues<SyncEntity>().Where(coordinator.IsRunning).ToList();
        IReadOnlyList<SyncRun> runs = [];
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            runs = await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).Take(RecentRuns).ToListAsync(cancellationToken);
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            // The database section already says it is unreachable.
        }
        return new SyncDiagnostics(syncOptions.Value.Enabled, running, runs);
    }
}
