using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Klaviyo.Testing.Faults;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench accounts [accounts = 50] [events each = 100000] [first-sync events = 2000000] [seconds = 60] [seconds each query is measured = seconds / 4]</c>:
/// many connected accounts on one instance (the product as it runs, with the sandbox in the same process,
/// every account with its own rate limits and a live event a second). Measured, beside the goals:
/// the uncached overview of the deployment's account before and after the accounts are loaded; the
/// uncached portfolio over all of them; then, while one more account does its first sync of millions of
/// events, every account's events freshness (emission → <c>dataChanged</c>); and the process's memory.
/// </summary>
public static class AccountsBench
{
    private const int HistoryDays = 30;

    public static async Task RunAsync(int accounts, int eventsEach, int firstSyncEvents, int seconds, int measuredSeconds)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-accounts-{Guid.NewGuid():N}.db");
        var window = TimeSpan.FromSeconds(seconds);
        var measure = TimeSpan.FromSeconds(measuredSeconds);
        Console.WriteLine($"Accounts benchmark: {accounts} accounts of {eventsEach:N0} events (a live event a second each), one more of {firstSyncEvents:N0} in its first sync, {Environment.ProcessorCount} cores, SQLite, the sandbox in process");
        Row("figure", "measured", "goal");
        using var memory = new MemorySampler();
        try
        {
            await using var host = await FaultHost.StartAsync(Settings(accounts, eventsEach, firstSyncEvents), path);
            await FaultSuite.WaitForCoreSyncAsync(host, DateTime.MinValue, TimeSpan.FromMinutes(5));
            var single = await LoadGenerator.RunAsync(host.Address, LoadGenerator.UncachedGraphQLPost(DashboardQueries.Overview()), 1, TimeSpan.FromSeconds(2), measure);

            var connected = host.Service<ConnectedAccounts>();
            var ids = new List<string>();
            var firstSyncs = Stopwatch.StartNew();
            foreach (var name in Names(accounts))
                ids.Add((await connected.AddAsync(KeyOf(host, name), "bench", CancellationToken.None)).Id);
            await Task.WhenAll(ids.Select(id => WaitForFirstSyncAsync(host, id, TimeSpan.FromMinutes(30))));
            Row($"{accounts} first syncs (2 backfills at a time)", $"{firstSyncs.Elapsed.TotalSeconds:F0} s, ended at {memory.Elapsed.TotalSeconds:F0} s", "");

            var loaded = await LoadGenerator.RunAsync(host.Address, LoadGenerator.UncachedGraphQLPost(DashboardQueries.Overview()), 1, TimeSpan.FromSeconds(2), measure);
            Row("uncached overview p95: alone / loaded", $"{single.P95Ms:F1} / {loaded.P95Ms:F1} ms", "");
            Row($"  with {accounts} accounts ÷ alone", $"{loaded.P95Ms / single.P95Ms:F2}×", "<= 1.2×");
            var portfolio = await LoadGenerator.RunAsync(host.Address, LoadGenerator.UncachedGraphQLPost(DashboardQueries.Portfolio), 1, TimeSpan.FromSeconds(2), measure);
            Row($"uncached portfolio of {accounts + 1} accounts p50 / p95", $"{portfolio.P50Ms:F1} / {portfolio.P95Ms:F1} ms", "p95 <= 100 ms");

            // One more account starts its first sync of millions of events: the others must stay fresh.
            var probes = ids.Select((id, i) => new FreshnessProbe(host, id, Names(accounts)[i])).ToList();
            var big = await connected.AddAsync(KeyOf(host, "Big"), "bench", CancellationToken.None);
            await Task.Delay(window);
            foreach (var probe in probes)
                probe.Dispose();
            var perAccount = probes.Select(p => p.Latencies).Where(l => l.Length > 0).Select(l => LoadGenerator.Percentile(l, 0.95) / 1000).Order().ToArray();
            var all = probes.SelectMany(p => p.Latencies).Order().ToArray();
            Row($"events freshness p95 over {window.TotalSeconds:F0} s, all accounts", all.Length == 0 ? "no events" : $"{LoadGenerator.Percentile(all, 0.95) / 1000:F2} s ({all.Length:N0} events)", "<= 5 s");
            Row("  per account p95: median / worst", perAccount.Length == 0 ? "—" : $"{LoadGenerator.Percentile(perAccount, 0.5):F2} / {perAccount[^1]:F2} s", "<= 5 s each");
            Row("  accounts that saw no new event", $"{probes.Count(p => p.Latencies.Length == 0)} of {probes.Count}", "0");
            await using (var bigDb = await DbOf(host, big.Id))
                Row($"  meanwhile the first sync of {firstSyncEvents:N0}", $"{await bigDb.Events.LongCountAsync():N0} events stored", "");
            using var process = Process.GetCurrentProcess();
            Row("memory: working set now / peak", $"{process.WorkingSet64 / 1_048_576:N0} / {process.PeakWorkingSet64 / 1_048_576:N0} MiB", "<= 1024 MiB");
            Row("  at the highest sample: working set / GC heap / committed", memory.Highest, "");
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".*"))
                File.Delete(file);
        }
    }

    /// <summary>The sandbox accounts the account benches configure and add: C001, C002, …</summary>
    internal static string[] Names(int accounts) => [.. Enumerable.Range(1, accounts).Select(i => $"C{i:D3}")];

    /// <summary>The sandbox's living accounts and the product's settings every account bench runs with.</summary>
    internal static Dictionary<string, string?> Settings(int accounts, int eventsEach, int firstSyncEvents)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:HistoryDays"] = HistoryDays.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:EventsPerDay"] = (eventsEach / HistoryDays).ToString(CultureInfo.InvariantCulture),
            ["Sandbox:Profiles"] = "500",
            ["Sandbox:LiveEventInterval"] = "00:00:01",
            ["Sandbox:LateEventShare"] = "0",
            ["Sandbox:FutureEventShare"] = "0",
            ["Sandbox:RateLimits"] = "true",
            ["Sandbox:Accounts:Big:EventsPerDay"] = (firstSyncEvents / HistoryDays).ToString(CultureInfo.InvariantCulture),
            ["Sync:Enabled"] = "true",
            ["Security:RateLimits:Enabled"] = "false",
        };
        foreach (var name in Names(accounts))
            settings[$"Sandbox:Accounts:{name}:Currency"] = "USD";
        return settings;
    }

    private static string KeyOf(FaultHost host, string name) =>
        host.Service<SandboxTenants>().Accounts.Single(a => a.Name == name).Options.ApiKey;

    private static IServiceProvider ServicesOf(FaultHost host, string id) =>
        host.Service<AccountShells>().ServicesOf(id) ?? throw new InvalidOperationException($"Account {id} has no shell.");

    private static Task<KlaviyoDbContext> DbOf(FaultHost host, string id) =>
        ServicesOf(host, id).GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

    private static async Task WaitForFirstSyncAsync(FaultHost host, string id, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using (var db = await DbOf(host, id))
            {
                if (await db.SyncStates.AsNoTracking().AnyAsync(s => s.Entity == SyncEntity.Events && s.LastSuccessAt != null))
                    return;
            }
            if (waited.Elapsed > within)
                throw new TimeoutException($"Account {id} had not synced its events within {within.TotalMinutes:F0} min.");
            await Task.Delay(250);
        }
    }

    /// <summary>One account's freshness: each <c>dataChanged</c> of its events, against when the sandbox emitted the events it made visible.</summary>
    private sealed class FreshnessProbe : IDisposable
    {
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly Channel<DateTime> _changes = Channel.CreateUnbounded<DateTime>();
        private readonly IDisposable _subscription;
        private readonly Task _reading;

        public FreshnessProbe(FaultHost host, string id, string name)
        {
            var sandbox = host.Service<SandboxTenants>().ForName(name, host.Service<IServiceProvider>())!.GetRequiredService<SandboxAccount>();
            var services = ServicesOf(host, id);
            _subscription = services.GetRequiredService<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
            {
                if (e.Entities.Contains(SyncEntity.Events))
                    _changes.Writer.TryWrite(DateTime.UtcNow);
            });
            _reading = ReadAsync(sandbox, services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>());
        }

        public double[] Latencies => [.. _latencies.Order()];

        private async Task ReadAsync(SandboxAccount sandbox, IDbContextFactory<KlaviyoDbContext> contexts)
        {
            var seen = sandbox.EventCountAt(DateTime.UtcNow);
            await foreach (var at in _changes.Reader.ReadAllAsync())
            {
                // Every event the store has now and had not before was made visible by this dataChanged.
                var ids = new Dictionary<string, long>();
                for (var i = seen; i < sandbox.EventCountAt(at); i++)
                    ids[sandbox.Event(i).Id] = i;
                if (ids.Count == 0)
                    continue;
                await using var db = await contexts.CreateDbContextAsync();
                var keys = ids.Keys.ToList();
                var stored = await db.Events.AsNoTracking().Where(e => keys.Contains(e.Id)).Select(e => e.Id).ToListAsync();
                foreach (var id in stored)
                    _latencies.Add((at - sandbox.ArrivalOf(ids[id])).TotalMilliseconds);
                seen = stored.Count == 0 ? seen : stored.Max(id => ids[id]) + 1;
            }
        }

        public void Dispose()
        {
            _subscription.Dispose();
            _changes.Writer.TryComplete();
            _reading.GetAwaiter().GetResult();
        }
    }

    private static void Row(string figure, string measured, string goal) => Console.WriteLine($"{figure,-48} {measured,26} {goal,14}");
}
