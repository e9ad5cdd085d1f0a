using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Coordination;

/// <summary>startSync, refreshData and cancelSync asked of a follower run on the leader, and the one-run-per-entity rule holds across instances.</summary>
public sealed class SyncForwardingTests : IDisposable
{
    /// <summary>Counts, across both instances (one process), the syncs of each entity running at once.</summary>
    private sealed class OverlapProbe
    {
        private readonly ConcurrentDictionary<SyncEntity, int> _running = new();
        public ConcurrentBag<SyncEntity> Overlaps { get; } = [];
        public ConcurrentDictionary<SyncEntity, int> Syncs { get; } = new();

        public IDisposable Enter(SyncEntity entity)
        {
            Syncs.AddOrUpdate(entity, 1, (_, n) => n + 1);
            if (_running.AddOrUpdate(entity, 1, (_, n) => n + 1) > 1)
                Overlaps.Add(entity);
            return new Exit(() => _running.AddOrUpdate(entity, 0, (_, n) => n - 1));
        }

        private sealed class Exit(Action exit) : IDisposable
        {
            public void Dispose() => exit();
        }
    }

    private sealed class ProbedSyncer(IEntitySyncer inner, OverlapProbe probe) : IEntitySyncer
    {
        public SyncEntity Entity => inner.Entity;

        public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
        {
            using var _ = probe.Enter(Entity);
            await Task.Yield(); // a sync is never instantaneous: give a rival the chance to overlap
            // A full events sync is held until cancelled: on a small test account it could otherwise
            // finish before the cancel the test sends arrives (only the schedule's incremental runs pass).
            if (Entity == SyncEntity.Events && context.Mode == SyncMode.Full)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            await inner.SyncAsync(context, cancellationToken);
        }
    }

    private readonly OverlapProbe _probe = new();
    private readonly CoordinatedPair _pair;

    // Redis's own 5-s command timeout, like the forward timeout below, is patient: 200 forwarded starts published
    // at once while PostgreSQL and the rest of the suite load 2 cores once timed a publish out (a retryable
    // NOT_LEADER the test cannot retry, since the start may have reached the leader).
    public SyncForwardingTests() => _pair = new CoordinatedPair(configure: Probed, redisOptions: "asyncTimeout=60000,syncTimeout=60000");

    /// <summary>
    /// Every syncer of the instance counted by the shared probe; the product's lease timing (these tests
    /// are about forwarding, not hand-overs: the short test lease lapses when 200 requests load a 2-core machine)
    /// and a patient follower (the leader answers 100 forwarded starts while it syncs and the rest of the suite
    /// runs: a retryable timeout would leave a run started whose id the test never learns).
    /// </summary>
    private void Probed(CoordinatedInstance instance) =>
        instance.With("Coordination:LeaseTtl", "00:00:15").With("Coordination:RenewEvery", "00:00:03").With("Coordination:ForwardTimeout", "00:01:00").WithServices(services =>
        {
            foreach (var syncer in services.Where(d => d.ServiceType == typeof(IEntitySyncer)).ToList())
            {
                services.Remove(syncer);
                services.AddSingleton<IEntitySyncer>(sp => new ProbedSyncer(
                    syncer.ImplementationInstance as IEntitySyncer
                    ?? syncer.ImplementationFactory?.Invoke(sp) as IEntitySyncer
                    ?? (IEntitySyncer)ActivatorUtilities.CreateInstance(sp, syncer.ImplementationType!), _probe));
            }
        });

    public void Dispose() => _pair.Dispose();

    [Fact]
    public async Task StartSync_refreshData_and_cancelSync_on_the_follower_run_on_the_leader()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        var client = follower.GraphQL();

        var started = (await client.QueryAsync("mutation { startSync(input: { entities: [METRICS] }) { run { id } alreadyRunning joinedRunIds } }"))["startSync"]!;
        var runId = Guid.Parse(started["run"]!["id"]!.GetValue<string>());
        var run = await FinishedAsync(leader, runId);
        Assert.Equal((SyncRunOutcome.Succeeded, leader.Lease.Epoch, "MANUAL"), (run.Outcome, run.Epoch, run.Trigger));

        var refreshed = (await client.QueryAsync("mutation { refreshData(input: { scopes: [LISTS] }) { scopes run { id } } }"))["refreshData"]!;
        var refreshId = Guid.Parse(refreshed["run"]!["id"]!.GetValue<string>());
        var refresh = await FinishedAsync(leader, refreshId);
        Assert.Equal(("REFRESH", SyncRunOutcome.Succeeded), (refresh.Trigger, refresh.Outcome));

        // A long run (every event of the account, in full: held open by the probe) cancelled from the follower.
        var events = (await client.QueryAsync("mutation { startSync(input: { entities: [EVENTS], mode: FULL }) { run { id } } }"))["startSync"]!;
        var eventsId = events["run"]!["id"]!.GetValue<string>();
        var cancelled = (await client.QueryAsync($$"""mutation { cancelSync(input: { runId: "{{eventsId}}" }) { cancelled } }"""))["cancelSync"]!;
        Assert.True(cancelled["cancelled"]!.GetValue<bool>());
        Assert.Equal(SyncRunOutcome.Cancelled, (await FinishedAsync(leader, Guid.Parse(eventsId))).Outcome);

        var unknown = (await client.QueryAsync($$"""mutation { cancelSync(input: { runId: "{{Guid.NewGuid()}}" }) { cancelled } }"""))["cancelSync"]!;
        Assert.False(unknown["cancelled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Two_hundred_startSyncs_twenty_at_once_over_both_instances_never_run_one_entity_twice_at_once()
    {
        var (leader, _) = await _pair.LeaderAsync();
        SyncEntity[] quick = [SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Forms, SyncEntity.Segments, SyncEntity.Lists];
        var clients = new[] { _pair.A.GraphQL(), _pair.B.GraphQL() };
        var random = new Random(13);
        // Twenty in flight: enough to race every entity many times over; all two hundred at once queued
        // behind each other on a loaded 2-core machine until one outlived the operation timeout (TIMEOUT),
        // which said nothing about overlapping runs.
        using var inFlight = new SemaphoreSlim(20);
        async Task<GraphQLResponse> StartAsync(GraphQLTestClient client, string names)
        {
            await inFlight.WaitAsync();
            try
            {
                // NOT_LEADER with retryable: true is the contract for a lease renewal that ran late on a loaded
                // machine (the leader briefly doubts itself): a client retries, and so does this one, a few times.
                for (var attempt = 1; ; attempt++)
                {
                    var response = await client.PostAsync($"mutation {{ startSync(input: {{ entities: [{names}] }}) {{ run {{ id }} alreadyRunning joinedRunIds }} }}");
                    if (attempt == 5 || response.Errors?[0]?["extensions"]?["retryable"]?.GetValue<bool>() != true)
                        return response;
                    await _pair.LeaderAsync();
                }
            }
            finally
            {
                inFlight.Release();
            }
        }
        var requests = Enumerable.Range(0, 200).Select(i =>
        {
            var entities = quick.Where(_ => random.Next(3) == 0).DefaultIfEmpty(quick[i % quick.Length]).ToList();
            var names = string.Join(' ', entities.Select(e => SyncEntityName(e)));
            return (Entities: entities, Task: StartAsync(clients[i % 2], names));
        }).ToList();
        await Task.WhenAll(requests.Select(r => r.Task));

        var runIds = new HashSet<Guid>();
        foreach (var (entities, task) in requests)
        {
            var response = await task;
            Assert.True(response.Errors is null, response.Body);
            var payload = response.Data!["startSync"]!;
            // Every entity asked for is either in the run started or left to a run named.
            var started = payload["run"] is JsonObject run ? Guid.Parse(run["id"]!.GetValue<string>()) : (Guid?)null;
            var joined = payload["joinedRunIds"]!.AsArray().Select(j => Guid.Parse(j!.GetValue<string>())).ToList();
            Assert.True(started is not null || joined.Count > 0, response.Body);
            runIds.UnionWith(joined);
            if (started is { } id)
                runIds.Add(id);
        }
        await Wait.UntilAsync(() =>
        {
            using var db = leader.OpenDatabaseDirectly();
            return db.SyncRuns.Count(r => runIds.Contains(r.Id) && r.Outcome != SyncRunOutcome.Running) == runIds.Count;
        }, TimeSpan.FromSeconds(60));

        Assert.Empty(_probe.Overlaps);
        Assert.All(quick, e => Assert.True(_probe.Syncs.GetValueOrDefault(e) > 0, $"{e} never synced"));
        await using var check = await leader.Db();
        Assert.Equal(runIds.Count, await check.SyncRuns.CountAsync(r => r.Trigger == "MANUAL" && r.Outcome == SyncRunOutcome.Succeeded));
    }

    private static string SyncEntityName(SyncEntity entity) =>
        string.Concat(entity.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();

    /// <summary>The run once its outcome is recorded (its entities are released a moment before).</summary>
    private static async Task<SyncRun> FinishedAsync(CoordinatedInstance instance, Guid id)
    {
        SyncRun? run = null;
        await Wait.UntilAsync(() =>
        {
            using var db = instance.OpenDatabaseDirectly();
            run = db.SyncRuns.AsNoTracking().Single(r => r.Id == id);
            return run.Outcome != SyncRunOutcome.Running;
        }, TimeSpan.FromSeconds(60));
        return run!;
    }
}
