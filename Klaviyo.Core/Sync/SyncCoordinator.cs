using System.Collections.Concurrent;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.RestClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Sync;

/// <summary>
/// Starts and cancels sync runs on the leader. An entity is in at most one run at a time: asking for an
/// entity that is already syncing joins that run instead of starting another. What a run writes down is
/// <see cref="SyncRunLog"/>'s and <see cref="SyncStateStore"/>'s; what follows an entity's sync, <see cref="SyncOutcomes"/>'.
/// </summary>
public sealed class SyncCoordinator(
    IServiceScopeFactory scopes,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IEnumerable<IEntitySyncer> syncers,
    EventBus bus,
    SyncRunLog runs,
    SyncStateStore states,
    SyncOutcomes outcomes,
    LeaderLease lease,
    BackfillSlots backfills,
    IOptions<SyncOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<SyncCoordinator> logger)
{
    private readonly ConcurrentDictionary<SyncEntity, RunningSync> _running = new();
    private readonly Dictionary<SyncEntity, IEntitySyncer> _syncers = syncers.ToDictionary(s => s.Entity);

    public sealed record StartResult(SyncRun? Run, IReadOnlyList<SyncEntity> AlreadyRunning, IReadOnlyList<Guid> JoinedRuns);

    public bool IsRunning(SyncEntity entity) => _running.ContainsKey(entity);

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
            await runs.StartedAsync(recorded, cancellationToken);
        }
        catch
        {
            foreach (var entity in claimed)
                Release(entity, handle);
            throw;
        }
        handle.Task = Task.Run(() => ExecuteAsync(handle, claimed, mode));
        return new StartResult(SyncRunLog.Copy(recorded), joined, joinedRuns);
    }

    /// <summary>
    /// Frees an entity only while this run still owns it: once released, the schedule may have
    /// claimed it for a newer run, which an unconditional removal would orphan (two runs of one
    /// entity at once: duplicate inserts, lost rollup updates).
    /// </summary>
    private void Release(SyncEntity entity, RunningSync owner) => _running.TryRemove(KeyValuePair.Create(entity, owner));

    /// <summary>Cancels a run of this instance (<see cref="SyncRequests"/> forwards a client's cancelSync to the leader).</summary>
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
        await runs.FinishedAsync(run);
        handle.Cancellation.Dispose();
    }

    /// <summary>Runs one entity's syncer and records its state; returns records written.</summary>
    private async Task<long> SyncEntityAsync(Guid runId, SyncEntity entity, SyncMode mode, KlaviyoClient client, CancellationToken token)
    {
        var started = time.GetUtcNow().UtcDateTime;
        using var span = KlaviyoTracing.Source.StartActivity($"sync {entity}");
        span?.SetTag("klaviyo.sync.entity", entity.ToString());
        var (cursor, firstSync) = await states.BeginAsync(entity, started, token);

        // A backfill holds a deployment-wide slot while it fetches and writes each page (SyncContext yields it between pages).
        using var turn = (firstSync || mode == SyncMode.Full) && BackfillSlots.Bulky(entity) ? await backfills.TakeAsync(token) : null;
        var context = new SyncContext(runId, entity, mode, cursor, client, contexts, bus, lease, options.Value, time, logger, turn, outcomes);
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
            await outcomes.FailedAsync(entity, classified);
            throw;
        }
        catch (OperationCanceledException)
        {
            await outcomes.CancelledAsync(entity);
            throw;
        }

        await outcomes.SucceededAsync(runId, entity, context.Written, context.Announced);
        span?.SetTag("klaviyo.sync.records", context.Written);
        return context.Written;
    }

    /// <summary>Claimed entities point here.</summary>
    private sealed class RunningSync(CancellationTokenSource cancellation, SyncRun run)
    {
        public SyncRun Run { get; } = run;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public Task Task { get; set; } = Task.CompletedTask;
    }
}
