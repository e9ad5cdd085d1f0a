using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Sync;

/// <summary>
/// Hundreds of overlapping manual starts while the schedule runs: an entity is never synced by two
/// runs at once (a decorator around every syncer counts how many of it run), every run succeeds
/// (no duplicate insert), and the rollups equal a recomputation from the stored events. Without
/// the owner check in <see cref="SyncCoordinator"/> this fails about every other round.
/// </summary>
public sealed class OneRunPerEntityTests : IDisposable
{
    private static readonly SyncEntity[] Raced = [SyncEntity.Metrics, SyncEntity.Events, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Profiles];

    private readonly OverlapProbe _probe = new();
    private readonly SandboxApiFactory _factory;

    public OneRunPerEntityTests()
    {
        _factory = new SandboxApiFactory();
        // The schedule runs as in production; live events arrive five times a second.
        _factory.With("Sync:Enabled", "true").With("Sandbox:LiveEventInterval", "00:00:00.200")
            .WithServices(services =>
            {
                foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IEntitySyncer)).ToList())
                {
                    services.Remove(descriptor);
                    services.AddSingleton<IEntitySyncer>(sp => new CountingSyncer(
                        (IEntitySyncer)(descriptor.ImplementationInstance ?? descriptor.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!)),
                        _probe));
                }
            });
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Hundreds_of_overlapping_starts_never_run_one_entity_twice_at_once()
    {
        var coordinator = _factory.Service<SyncCoordinator>();
        var random = new Random(7);
        var ids = new List<Guid>();
        for (var round = 0; round < 3; round++)
        {
            // A hundred starts spread over three seconds, so they land while earlier runs are between entities and finishing.
            var plan = Enumerable.Range(0, 100)
                .Select(_ => (Delay: TimeSpan.FromMilliseconds(random.Next(0, 3000)), Entities: Raced.Where(_ => random.NextDouble() < 0.5).DefaultIfEmpty(SyncEntity.Events).ToArray()))
                .ToList();
            var started = await Task.WhenAll(plan.Select(p => Task.Run(async () =>
            {
                await Task.Delay(p.Delay);
                return await coordinator.StartAsync(p.Entities, SyncMode.Incremental, "TEST", CancellationToken.None);
            })));
            ids.AddRange(started.Where(s => s.Run is not null).Select(s => s.Run!.Id));
            await Task.WhenAll(started.Where(s => s.Run is not null).Select(s => coordinator.WhenFinishedAsync(s.Run!.Id)).Concat(started.SelectMany(s => s.JoinedRuns).Select(coordinator.WhenFinishedAsync)))
                .WaitAsync(TimeSpan.FromMinutes(3));
        }

        Assert.True(_probe.MaxConcurrent.Values.All(max => max == 1), string.Join(", ", _probe.MaxConcurrent.Select(p => $"{p.Key}: {p.Value} at once")));
        Assert.All(Raced, entity => Assert.True(_probe.Runs.GetValueOrDefault(entity) > 1, $"{entity} ran more than once"));
        await using var db = await _factory.Db();
        var runs = await db.SyncRuns.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync();
        Assert.Equal(ids.Count, runs.Count);
        Assert.All(runs, r => Assert.Equal(SyncRunOutcome.Succeeded, r.Outcome));

        // Rollups are what the stored events add up to, per metric and granularity (none lost, none counted twice).
        var events = await db.Events.AsNoTracking().GroupBy(e => e.MetricId).Select(g => new { g.Key, Count = g.LongCount(), Sum = g.Sum(e => e.Value) }).ToListAsync();
        Assert.NotEmpty(events);
        foreach (var granularity in new[] { RollupGranularity.Hour, RollupGranularity.Day })
        {
            var rollups = await db.MetricRollups.AsNoTracking().Where(r => r.Granularity == granularity)
                .GroupBy(r => r.MetricId).Select(g => new { g.Key, Count = g.Sum(r => r.Count), Sum = g.Sum(r => r.SumValue) }).ToListAsync();
            foreach (var metric in events)
            {
                var rolled = rollups.Single(r => r.Key == metric.Key);
                Assert.Equal(metric.Count, rolled.Count);
                Assert.Equal(metric.Sum, rolled.Sum, 6);
            }
        }
    }

    /// <summary>How many runs of each entity are inside its syncer now, and the most there ever were.</summary>
    private sealed class OverlapProbe
    {
        private readonly ConcurrentDictionary<SyncEntity, int> _inside = new();
        public ConcurrentDictionary<SyncEntity, int> MaxConcurrent { get; } = new();
        public ConcurrentDictionary<SyncEntity, int> Runs { get; } = new();

        public void Enter(SyncEntity entity)
        {
            var now = _inside.AddOrUpdate(entity, 1, (_, n) => n + 1);
            MaxConcurrent.AddOrUpdate(entity, now, (_, max) => Math.Max(max, now));
            Runs.AddOrUpdate(entity, 1, (_, n) => n + 1);
        }

        public void Leave(SyncEntity entity) => _inside.AddOrUpdate(entity, 0, (_, n) => n - 1);
    }

    private sealed class CountingSyncer(IEntitySyncer inner, OverlapProbe probe) : IEntitySyncer
    {
        public SyncEntity Entity => inner.Entity;

        public async Task SyncAsync(SyncContext context, CancellationToken cancellationToken)
        {
            probe.Enter(Entity);
            try
            {
                await inner.SyncAsync(context, cancellationToken);
            }
            finally
            {
                probe.Leave(Entity);
            }
        }
    }
}
