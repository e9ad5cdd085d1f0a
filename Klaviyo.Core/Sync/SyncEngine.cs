using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Sync;

/// <summary>
/// The schedule: twice a second, starts a run for each entity whose next run is due and that is
/// not syncing already. Reports wait for the entity they describe to have synced once. With several
/// instances it runs only on the lease holder, which on taking the lease first recovers the runs
/// of earlier epochs. It starts once the server listens (the hosted sandbox is reached at the
/// server's own address).
/// </summary>
public sealed class SyncEngine(
    SyncCoordinator coordinator,
    LeaderLease lease,
    IHostApplicationLifetime lifetime,
    IDbContextFactory<KlaviyoDbContext> contexts,
    ApiErrorBoard errors,
    IOptions<SyncOptions> options,
    TimeProvider time,
    ILogger<SyncEngine> logger) : BackgroundService
{
    // Campaign and flow reports also need the metrics: their conversion metric is one.
    private static readonly Dictionary<SyncEntity, SyncEntity[]> Prerequisites = new()
    {
        [SyncEntity.CampaignReports] = [SyncEntity.Campaigns, SyncEntity.Metrics],
        [SyncEntity.FlowReports] = [SyncEntity.Flows, SyncEntity.Metrics],
        [SyncEntity.FormReports] = [SyncEntity.Forms],
        // Events need nothing first (an event carries its metric's id): on a first start they begin with the metrics, not after them.
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        long? recoveredEpoch = null;
        // Twice a second: an entity due now (busy events, a retry brought forward) waits at most half a second.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        var pruned = DateTime.MinValue;
        do
        {
            try
            {
                if (!lease.IsLeader)
                    continue;
                if (recoveredEpoch != lease.Epoch)
                {
                    await RecoverInterruptedAsync(lease.Enabled ? lease.Epoch : null, stoppingToken);
                    recoveredEpoch = lease.Epoch;
                }
                await StartDueAsync(stoppingToken);
                if (time.GetUtcNow().UtcDateTime - pruned > TimeSpan.FromHours(1))
                {
                    await PruneRunsAsync(stoppingToken);
                    pruned = time.GetUtcNow().UtcDateTime;
                }
            }
            catch (Exception e) when (ErrorClassifier.IsDatabaseOutage(e))
            {
                // No run can even be recorded: the outage goes on the error board (logged once there), so answers
                // served from the cache meanwhile say FALLBACK, not CACHE. The next tick retries.
                errors.Raise(ErrorClassifier.Classify(e));
            }
            catch (NotLeaderError)
            {
                // The lease changed hands between the check above and the start (a hand-over to the account's
                // owner): the new holder runs what is due; nothing failed here.
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The schedule must outlive a bad second (a locked database, say); the next tick retries.
                logger.LogError(e, "The sync schedule could not start due runs");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Runs a killed process left "running" are marked failed, and their entities become due at
    /// once; their checkpoints make the next run resume where they stopped. With several instances,
    /// only runs of epochs before <paramref name="epoch"/> (earlier leaders'); this leader has started none yet.
    /// </summary>
    private async Task RecoverInterruptedAsync(long? epoch, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var run in await db.SyncRuns.Where(r => r.Outcome == SyncRunOutcome.Running && (epoch == null || r.Epoch < epoch)).ToListAsync(cancellationToken))
            (run.Outcome, run.FinishedAt, run.Error) = (SyncRunOutcome.Failed, now, "Interrupted: the process stopped during the run.");
        foreach (var state in await db.SyncStates.Where(s => s.Status == SyncStatusKind.Running).ToListAsync(cancellationToken))
            (state.Status, state.NextRunAt) = (SyncStatusKind.Idle, now);
        var recovered = await db.SaveChangesAsync(cancellationToken);
        if (recovered > 0)
            logger.LogWarning("Recovered {Count} run(s) and state(s) interrupted by the last shutdown", recovered);
    }

    private async Task PruneRunsAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().UtcDateTime - options.Value.RunRetention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deleted = await db.SyncRuns.Where(r => r.Outcome != SyncRunOutcome.Running && r.StartedAt < before).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
            logger.LogInformation("Deleted {Count} sync runs older than {Before:u}", deleted, before);
    }

    private async Task StartDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var states = await db.SyncStates.AsNoTracking().ToDictionaryAsync(s => s.Entity, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var entity in Enum.GetValues<SyncEntity>())
        {
            if (coordinator.IsRunning(entity))
                continue;
            var state = states.GetValueOrDefault(entity);
            if (state?.NextRunAt > now)
                continue;
            if (Prerequisites.TryGetValue(entity, out var prerequisites) && prerequisites.Any(p => states.GetValueOrDefault(p)?.LastSuccessAt is null))
                continue;
            await coordinator.StartAsync([entity], SyncMode.Incremental, "SCHEDULE", cancellationToken);
        }
    }
}
