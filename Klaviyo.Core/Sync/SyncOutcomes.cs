using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Reports;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Sync;

/// <summary>
/// What follows one entity's sync: on success its state, the cache, the sync clock, the error board and
/// <c>dataChanged</c>, in the order readers need; on failure the error raised and the retry planned.
/// </summary>
public sealed class SyncOutcomes(
    SyncStateStore states,
    FreshCache cache,
    SyncClock clock,
    ApiErrorBoard errors,
    DataChangePublisher changes,
    ReportPlan plan,
    IOptions<SyncOptions> options,
    TimeProvider time)
{
    /// <param name="written">Records the sync wrote (0: nothing changed, nothing is evicted or announced).</param>
    /// <param name="announced">Of those, the ones already announced while it ran (<see cref="CoveredAsync"/>).</param>
    public async Task SucceededAsync(Guid runId, SyncEntity entity, long written, long announced = 0)
    {
        var finished = Now();
        var interval = entity == SyncEntity.Events && written > 0 ? Min(options.Value.BusyEventsInterval, plan.IntervalOf(entity)) : plan.IntervalOf(entity);
        await states.FinishAsync(entity, SyncStatusKind.Succeeded, finished, null, finished + interval);
        await states.RetryOthersNowAsync(entity, finished);
        // Evicted before the clock moves and the event goes: a reader never pairs the old copy with the new
        // time, and a client that refetches on dataChanged never gets the old copy. Nothing written, nothing
        // recomputed: only whole responses (their bytes hold the old lastUpdated) go.
        var unannounced = written - announced;
        if (unannounced > 0)
            await cache.EvictAsync([entity]);
        clock.Confirmed(entity, finished);
        await cache.ConfirmedAsync([entity]);
        errors.Resolve(entity);
        errors.Resolve(ApiErrorSource.Database); // it just committed this entity's pages
        if (unannounced > 0)
            changes.Changed(entity, unannounced, finished, runId);
    }

    /// <summary>
    /// A first sync of <paramref name="entity"/> has stored everything from <paramref name="from"/> on and
    /// goes on with older records: in the same order as after a success, the cache forgets what was read
    /// from part of that, the clock learns what is covered, and <c>dataChanged</c> tells dashboards to read again.
    /// An entity that synced whole before (a full re-sync) has nothing to announce: false.
    /// </summary>
    public async Task<bool> CoveredAsync(Guid runId, SyncEntity entity, DateTime from, long written)
    {
        if (await clock.LastUpdatedAsync([entity], CancellationToken.None) is not null)
            return false;
        var at = Now();
        await cache.EvictAsync([entity]);
        clock.Covered(entity, from, at);
        changes.Changed(entity, written, at, runId);
        return true;
    }

    /// <summary>
    /// Whole microseconds, PostgreSQL's precision: an instance that reads this time back from the
    /// database labels its answers with the same lastUpdated as the instance that wrote it.
    /// </summary>
    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);
    }

    /// <summary>Raises the failure (first: it must reach subscribers even when the database cannot record it), then records it with its retry time.</summary>
    public async Task FailedAsync(SyncEntity entity, ErrorClassifier.Classified classified)
    {
        errors.Raise(classified, entity);
        // Klaviyo's own Retry-After when it gave one; else soon for a frequent entity (events probe every 10 s, and the
        // first that gets through brings the others forward), at most Sync:RetryAfterFailure for the rest.
        var retry = Min(options.Value.RetryAfterFailure, plan.IntervalOf(entity) * 2);
        await states.FinishAsync(entity, SyncStatusKind.Failed, null, classified, classified.RetryAt ?? time.GetUtcNow().UtcDateTime + retry);
    }

    /// <summary>A cancelled sync is idle, due again after its usual interval.</summary>
    public Task CancelledAsync(SyncEntity entity) =>
        states.FinishAsync(entity, SyncStatusKind.Idle, null, null, time.GetUtcNow().UtcDateTime + plan.IntervalOf(entity));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
