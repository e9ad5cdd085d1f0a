using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Each entity's <see cref="SyncState"/> row: its cursor, status, last success and error, when it is due
/// next. Writes that decide something are fenced by the leader lease; every write expires the cached
/// sync status.
/// </summary>
public sealed class SyncStateStore(IDbContextFactory<KlaviyoDbContext> contexts, LeaderLease lease, FreshCache cache, ApiErrorBoard errors, ILogger<SyncStateStore> logger)
{
    /// <summary>Failures that say nothing about one entity: Klaviyo or the database was down, the key refused, an answer unreadable.</summary>
    private static readonly string[] SharedFailures = [ErrorCodes.KlaviyoUnavailable, ErrorCodes.KlaviyoAuth, ErrorCodes.KlaviyoInvalidResponse, ErrorCodes.DatabaseUnavailable];

    /// <summary>Marks the entity running (created on its first sync) and returns its cursor.</summary>
    /// <summary>Marks the entity running; answers its cursor and whether it has never synced (a first sync is a backfill).</summary>
    public async Task<(string? Cursor, bool FirstSync)> BeginAsync(SyncEntity entity, DateTime startedAt, CancellationToken cancellationToken)
    {
        string? cursor;
        bool first;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var state = await db.SyncStates.SingleOrDefaultAsync(s => s.Entity == entity, cancellationToken);
            if (state is null)
                db.SyncStates.Add(state = new SyncState { Entity = entity });
            state.Status = SyncStatusKind.Running;
            state.LastAttemptAt = startedAt;
            await db.SaveChangesAsync(cancellationToken);
            (cursor, first) = (state.Cursor, state.LastSuccessAt is null);
        }
        await cache.ExpireAsync(CacheKeys.SyncStates());
        return (cursor, first);
    }

    /// <summary>Records how the entity's sync ended and when it is due next; a success clears its error and recounts its rows.</summary>
    public async Task FinishAsync(SyncEntity entity, SyncStatusKind status, DateTime? success, ErrorClassifier.Classified? error, DateTime nextRun)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await lease.FenceAsync(db, CancellationToken.None);
            var state = await db.SyncStates.SingleAsync(s => s.Entity == entity);
            state.Status = status;
            state.NextRunAt = nextRun;
            if (success is not null)
            {
                state.LastSuccessAt = success;
                state.LastError = null;
                state.LastErrorCode = null;
                state.RecordCount = await CountAsync(db, entity);
            }
            if (error is not null)
                (state.LastError, state.LastErrorCode) = (error.Message, error.Code);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync();
        }
        finally
        {
            await cache.ExpireAsync(CacheKeys.SyncStates());
        }
    }

    /// <summary>
    /// A sync just got through, so whatever failed for a reason shared by every entity is likely fine too:
    /// those entities are due now instead of after their retry wait (recovery takes one run, not
    /// <see cref="SyncOptions.RetryAfterFailure"/>). Klaviyo's own Retry-After (rate limits, the report budget) still holds.
    /// </summary>
    public async Task RetryOthersNowAsync(SyncEntity synced, DateTime now)
    {
        // Nothing is failing (the usual case, events every second): no statement at all.
        if (errors.IsEmpty)
            return;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            await db.SyncStates
                .Where(s => s.Entity != synced && s.Status == SyncStatusKind.Failed && s.NextRunAt > now && SharedFailures.Contains(s.LastErrorCode))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextRunAt, now));
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            logger.LogDebug(e, "Could not bring failed entities' retries forward");
        }
    }

    private static Task<int> CountAsync(KlaviyoDbContext db, SyncEntity entity) => entity switch
    {
        SyncEntity.Campaigns => db.Campaigns.CountAsync(),
        SyncEntity.Flows => db.Flows.CountAsync(),
        SyncEntity.Metrics => db.Metrics.CountAsync(),
        SyncEntity.Segments => db.Segments.CountAsync(),
        SyncEntity.Lists => db.Lists.CountAsync(),
        SyncEntity.Forms => db.Forms.CountAsync(),
        SyncEntity.Profiles => db.Profiles.CountAsync(),
        SyncEntity.Events => db.Events.CountAsync(),
        SyncEntity.CampaignReports => db.CampaignStatistics.CountAsync(),
        SyncEntity.FlowReports => db.FlowStatistics.CountAsync(),
        SyncEntity.FormReports => db.FormStatistics.CountAsync(),
        SyncEntity.Account => db.Accounts.CountAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, "An entity without a record count."),
    };
}
