using System.Collections.Concurrent;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Reports;
using Klaviyo.Core.RestClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Starts and cancels sync runs. An entity is in at most one run at a time: asking for an entity
/// that is already syncing joins that run instead of starting another.
/// </summary>
public sealed class SyncCoordinator(
    IServiceScopeFactory scopes,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IEnumerable<IEntitySyncer> syncers,
    EventBus bus,
    ApiErrorBoard errors,
    FreshCache cache,
    SyncClock clock,
    DataChangePublisher changes,
    ReportPlan plan,
    LeaderLease lease,
    IOptions<SyncOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SyncCoordinator> logger,
    SyncForwarding? forwarding = null)
{
    private readonly ConcurrentDictionary<SyncEntity, RunningSync> _running = new();
    private readonly Dictionary<SyncEntity, IEntitySyncer> _syncers = syncers.ToDictionary(s => s.Entity);

    public sealed record StartResult(SyncRun? Run, IReadOnlyList<SyncEntity> AlreadyRunning, IReadOnlyList<Guid> JoinedRuns);

    public bool IsRunning(SyncEntity entity) => _running.ContainsKey(entity);

    /// <summary>
    /// A client's request (startSync, refreshData): started here when this instance leads, else
    /// forwarded to the leader over Redis (NOT_LEADER, retryable, when there is no Redis or no leader).
    /// </summary>
    public Task<StartResult> RequestAsync(IReadOnlyCollection<SyncEntity> entities, SyncMode mode, string trigger, CancellationToken cancellationToken) =>
        lease.IsLeader || forwarding is null
            ? StartAsync(entities, mode, trigger, cancellationToken)
            : forwarding.StartOnLeaderAsync(entities, mode, trigger, cancellationToken);

    /// <summary>Starts a run of the entities not already syncing; returns it (null when all were) and the runs joined.</summary>
    public async Task<StartResult> StartAsync(IReadOnlyCollection<SyncEntity> entities, SyncMode mode, string trigger, CancellationToken cancellationToken)
    {
        // With several instances only the lease holder calls Klaviyo and writes sync state.
        if (!lease.IsLeader)
            throw new NotLeaderError(lease);
        // The run exists before any entity is claimed, so a caller joining it always learns its id.
        var recorded = new SyncRun
        {
            Id = Guid.NewGuid(),
            Trigger = trigger,
            Mode = mode.ToString().ToUpperInvariant(),
            Entities = "",
            StartedAt = time.GetUtcNow().UtcDateTime,
            Outcome = SyncRunOutcome.Running,
            Epoch = lease.Epoch,
        };
        // Stops with the app, and when this instance stops leading: no Klaviyo call after the lease can pass.
        var handle = new RunningSync(CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, lease.Leadership), recorded);
        var claimed = new List<SyncEntity>();
        var joined = new List<SyncEntity>();
        foreach (var entity in entities.Distinct().Order())
            (_running.TryAdd(entity, handle) ? claimed : joined).Add(entity);
        var joinedRuns = joined.Select(e => _running.TryGetValue(e, out var r) ? r.Run.Id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        if (claimed.Count == 0)
        {
            handle.Cancellation.Dispose();
            return new StartResult(null, joined, joinedRuns);
        }
        recorded.Entities = string.Join(',', claimed);

        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.SyncRuns.Add(recorded);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            foreach (var entity in claimed)
                Release(entity, handle);
            throw;
        }
        logger.LogDebug("Sync {RunId} started by {Trigger} ({Mode}): {Entities}", recorded.Id, trigger, recorded.Mode, recorded.Entities);
        handle.Task = Task.Run(() => ExecuteAsync(handle, claimed, mode));
        return new StartResult(Copy(recorded), joined, joinedRuns);
    }

    /// <summary>
    /// Frees an entity only while this run still owns it: once released, the schedule may have
    /// claimed it for a newer run, which an unconditional removal would orphan (two runs of one
    /// entity at once: duplicate inserts, lost rollup updates).
    /// </summary>
    private void Release(SyncEntity entity, RunningSync owner) => _running.TryRemove(KeyValuePair.Create(entity, owner));

    /// <summary>A client's cancelSync: the run is cancelled where it runs (forwarded to the leader from a follower).</summary>
    public Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken) =>
        Cancel(runId) ? Task.FromResult(true)
        : lease.IsLeader || forwarding is null ? Task.FromResult(false)
        : forwarding.CancelOnLeaderAsync(runId, cancellationToken);

    public bool Cancel(Guid runId)
    {
        var handle = _running.Values.FirstOrDefault(r => r.Run.Id == runId);
        if (handle is null)
            return false;
        handle.Cancellation.Cancel();
        return true;
    }

    /// <summary>Waits for the run of <paramref name="runId"/> to finish (tests and shutdown).</summary>
    public Task WhenFinishedAsync(Guid runId) =>
        _running.Values.FirstOrDefault(r => r.Run.Id == runId)?.Task ?? Task.CompletedTask;

    private async Task ExecuteAsync(RunningSync handle, IReadOnlyList<SyncEntity> entities, SyncMode mode)
    {
        var run = handle.Run;
        var token = handle.Cancellation.Token;
        // A child of the request that started it (Task.Run carries the trace), a root when the schedule did.
        using var span = KlaviyoTracing.Source.StartActivity("sync run");
        span?.SetTag("klaviyo.sync.run_id", run.Id.ToString());
        span?.SetTag("klaviyo.sync.trigger", run.Trigger);
        span?.SetTag("klaviyo.sync.mode", run.Mode);
        span?.SetTag("klaviyo.sync.entities", run.Entities);
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<KlaviyoClient>();
        Exception? firstError = null;

        foreach (var entity in entities)
        {
            if (token.IsCancellationRequested)
                break;
            try
            {
                run.Records += await SyncEntityAsync(run.Id, entity, mode, client, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                firstError ??= e;
            }
            finally
            {
                Release(entity, handle);
            }
        }

        run.FinishedAt = time.GetUtcNow().UtcDateTime;
        run.Requests = client.Requests;
        run.RateLimited = client.Throttled;
        run.Outcome = token.IsCancellationRequested ? SyncRunOutcome.Cancelled : firstError is null ? SyncRunOutcome.Succeeded : SyncRunOutcome.Failed;
        run.Error = firstError is null ? null : ErrorClassifier.Classify(firstError).Message;
        span?.SetTag("klaviyo.sync.outcome", run.Outcome.ToString());
        span?.SetTag("klaviyo.sync.records", run.Records);
        if (firstError is not null)
            span.Failed(ErrorClassifier.Classify(firstError).Code);
        foreach (var entity in entities)
            Release(entity, handle);
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
            run.Id, run.Outcome, run.Trigger, run.Entities, run.Records, run.Requests, run.RateLimited, (run.FinishedAt.Value - run.StartedAt).TotalSeconds);
        bus.Publish(Copy(run));
        handle.Cancellation.Dispose();
    }

    /// <summary>Runs one entity's syncer and records its state; returns records written.</summary>
    private async Task<long> SyncEntityAsync(Guid runId, SyncEntity entity, SyncMode mode, KlaviyoClient client, CancellationToken token)
    {
        var started = time.GetUtcNow().UtcDateTime;
        using var span = KlaviyoTracing.Source.StartActivity($"sync {entity}");
        span?.SetTag("klaviyo.sync.entity", entity.ToString());
        string? cursor;
        await using (var db = await contexts.CreateDbContextAsync(token))
        {
            var state = await db.SyncStates.SingleOrDefaultAsync(s => s.Entity == entity, token);
            if (state is null)
                db.SyncStates.Add(state = new SyncState { Entity = entity });
            state.Status = SyncStatusKind.Running;
            state.LastAttemptAt = started;
            await db.SaveChangesAsync(token);
            cursor = state.Cursor;
        }
        await cache.ExpireAsync(CacheKeys.SyncStates());

        var context = new SyncContext(runId, entity, mode, cursor, client, contexts, bus, lease, options.Value, time, logger);
        // Every line logged during this entity's sync, the client's retries and waits included, carries the run and entity.
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId, ["Entity"] = entity });
        try
        {
            await _syncers[entity].SyncAsync(context, token);
        }
        catch (Exception e) when (e is not LeaseLostException && (e is not OperationCanceledException || !token.IsCancellationRequested))
        {
            var classified = ErrorClassifier.Classify(e);
            span.Failed(classified.Code);
            logger.LogError(e, "Sync {RunId} {Entity} failed: {Code}", runId, entity, classified.Code);
            // Raised first: the failure must reach subscribers even when the database cannot record it.
            errors.Raise(classified, entity);
            // Klaviyo's own Retry-After when it gave one; else soon for a frequent entity (events probe every 10 s, and the
            // first that gets through brings the others forward), at most Sync:RetryAfterFailure for the rest.
            var retry = Min(options.Value.RetryAfterFailure, plan.IntervalOf(entity) * 2);
            await FinishStateAsync(entity, SyncStatusKind.Failed, null, classified, classified.RetryAt ?? time.GetUtcNow().UtcDateTime + retry);
            throw;
        }
        catch (OperationCanceledException)
        {
            await FinishStateAsync(entity, SyncStatusKind.Idle, null, null, time.GetUtcNow().UtcDateTime + plan.IntervalOf(entity));
            throw;
        }

        // Whole microseconds, PostgreSQL's precision: an instance that reads this time back from the
        // database labels its answers with the same lastUpdated as the instance that wrote it.
        var now = time.GetUtcNow().UtcDateTime;
        var finished = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc);
        var interval = entity == SyncEntity.Events && context.Written > 0 ? Min(options.Value.BusyEventsInterval, plan.IntervalOf(entity)) : plan.IntervalOf(entity);
        await FinishStateAsync(entity, SyncStatusKind.Succeeded, finished, null, finished + interval);
        await RetryOthersNowAsync(entity, finished);
        // Evicted before the clock moves and the event goes: a reader never pairs the old copy with the new
        // time, and a client that refetches on dataChanged never gets the old copy. Nothing written, nothing
        // recomputed: only whole responses (their bytes hold the old lastUpdated) go.
        if (context.Written > 0)
            await cache.EvictAsync([entity]);
        clock.Confirmed(entity, finished);
        await cache.ConfirmedAsync([entity]);
        errors.Resolve(entity);
        errors.Resolve(ApiErrorSource.Database); // it just committed this entity's pages
        if (context.Written > 0)
            changes.Changed(entity, context.Written, finished, runId);
        span?.SetTag("klaviyo.sync.records", context.Written);
        return context.Written;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Failures that say nothing about one entity: Klaviyo or the database was down, the key refused, an answer unreadable.</summary>
    private static readonly string[] SharedFailures = [ErrorCodes.KlaviyoUnavailable, ErrorCodes.KlaviyoAuth, ErrorCodes.KlaviyoInvalidResponse, ErrorCodes.DatabaseUnavailable];

    /// <summary>
    /// A sync just got through, so whatever failed for a reason shared by every entity is likely fine too:
    /// those entities are due now instead of after their retry wait (recovery takes one run, not
    /// <see cref="SyncOptions.RetryAfterFailure"/>). Klaviyo's own Retry-After (rate limits, the report budget) still holds.
    /// </summary>
    private async Task RetryOthersNowAsync(SyncEntity synced, DateTime now)
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

    private async Task FinishStateAsync(SyncEntity entity, SyncStatusKind status, DateTime? success, ErrorClassifier.Classified? error, DateTime nextRun)
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

    private static SyncRun Copy(SyncRun r) => new()
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

    /// <summary>Claimed entities point here.</summary>
    private sealed class RunningSync(CancellationTokenSource cancellation, SyncRun run)
    {
        public SyncRun Run { get; } = run;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public Task Task { get; set; } = Task.CompletedTask;
    }
}
