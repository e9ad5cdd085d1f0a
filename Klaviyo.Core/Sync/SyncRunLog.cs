using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync;

/// <summary>The <see cref="SyncRun"/> rows: one written when a run starts, updated when it ends, which is also logged and published.</summary>
public sealed class SyncRunLog(IDbContextFactory<KlaviyoDbContext> contexts, EventBus bus, ILogger<SyncRunLog> logger)
{
    public async Task StartedAsync(SyncRun run, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogDebug("Sync {RunId} started by {Trigger} ({Mode}): {Entities}", run.Id, run.Trigger, run.Mode, run.Entities);
    }

    /// <summary>Records the finished run (a database failure is logged, never thrown: the run is over either way) and publishes it.</summary>
    public async Task FinishedAsync(SyncRun run)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            db.SyncRuns.Update(run);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Sync {RunId}: could not record its outcome", run.Id);
        }
        // The one line an operator reads per run (its start and pages are at Debug).
        logger.Log(run.Outcome == SyncRunOutcome.Failed ? LogLevel.Warning : LogLevel.Information,
            "Sync {RunId} {Outcome} ({Trigger}: {Entities}): {Records} records, {Requests} requests, {Throttled} throttled, {Seconds:F1} s",
            run.Id, run.Outcome, run.Trigger, run.Entities, run.Records, run.Requests, run.RateLimited, (run.FinishedAt!.Value - run.StartedAt).TotalSeconds);
        bus.Publish(Copy(run));
    }

    /// <summary>A snapshot for callers and subscribers: the run object itself keeps changing while it runs.</summary>
    public static SyncRun Copy(SyncRun r) => new()
    {
        Id = r.Id,
        Trigger = r.Trigger,
        Mode = r.Mode,
        Entities = r.Entities,
        StartedAt = r.StartedAt,
        FinishedAt = r.FinishedAt,
        Outcome = r.Outcome,
        Records = r.Records,
        Requests = r.Requests,
        RateLimited = r.RateLimited,
        Error = r.Error,
        Epoch = r.Epoch,
    };
}
