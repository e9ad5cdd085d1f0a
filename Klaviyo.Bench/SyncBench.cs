using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Klaviyo.Api;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Entities;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Klaviyo.Testing;
using Klaviyo.Testing.Faults;
using Klaviyo.Testing.Processes;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench sync [events = 500000] [seconds per freshness run = 60]</c>: what the sync engine does
/// against Klaviyo's limits — ingest capacity (and the sandbox alone), rate-limit efficiency,
/// freshness from emission to <c>dataChanged</c>, and push fan-out — each beside its goal.
/// </summary>
public static class SyncBench
{
    private const int HistoryDays = 10;

    public static async Task RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "freshness")
        {
            var seconds = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60);
            Row("figure", "measured", "goal");
            await FreshnessAsync(TimeSpan.FromSeconds(1), "1 event/s", seconds);
            await FreshnessAsync(TimeSpan.FromMilliseconds(5), "200 events/s", seconds);
            await FreshnessAsync(TimeSpan.FromSeconds(1), "1 event/s", seconds, webhooks: true);
            await FreshnessAsync(TimeSpan.FromMilliseconds(5), "200 events/s", seconds, webhooks: true);
            return;
        }
        if (args.FirstOrDefault() == "ingest")
        {
            Row("figure", "measured", "goal");
            await IngestAsync(args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 500_000);
            return;
        }
        var events = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var freshnessFor = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60);
        Console.WriteLine($"Sync benchmark: {events:N0} sandbox events, freshness runs of {freshnessFor.TotalSeconds:F0} s, {Environment.ProcessorCount} cores, SQLite");
        Console.WriteLine($"{"figure",-44} {"measured",22} {"goal",22}");
        await IngestAsync(events);
        await EfficiencyAsync(events);
        await FreshnessAsync(TimeSpan.FromSeconds(1), "1 event/s", freshnessFor);
        await FreshnessAsync(TimeSpan.FromMilliseconds(5), "200 events/s", freshnessFor);
        await FreshnessAsync(TimeSpan.FromSeconds(1), "1 event/s", freshnessFor, webhooks: true);
        await FreshnessAsync(TimeSpan.FromMilliseconds(5), "200 events/s", freshnessFor, webhooks: true);
        await FanOutAsync(1000, 20);
    }

    private static Dictionary<string, string?> Account(long events, bool rateLimits, TimeSpan liveEvery) => new()
    {
        ["Sandbox:HistoryDays"] = HistoryDays.ToString(CultureInfo.InvariantCulture),
        ["Sandbox:EventsPerDay"] = (events / HistoryDays).ToString(CultureInfo.InvariantCulture),
        ["Sandbox:Profiles"] = "2000",
        ["Sandbox:LiveEventInterval"] = liveEvery.ToString("c", CultureInfo.InvariantCulture),
        ["Sandbox:LateEventShare"] = "0",
        ["Sandbox:FutureEventShare"] = "0",
        ["Sandbox:RateLimits"] = rateLimits ? "true" : "false",
        ["Sync:Enabled"] = "false",
        ["Security:RateLimits:Enabled"] = "false",
    };

    private static void Row(string figure, string measured, string goal) => Console.WriteLine($"{figure,-44} {measured,22} {goal,22}");

    /// <summary>The whole account through the real client: read alone (the sandbox's and the client's share), then synced into SQLite.</summary>
    private static async Task IngestAsync(long events)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-ingest-{Guid.NewGuid():N}.db");
        try
        {
            await using var host = await FaultHost.StartAsync(Account(events, rateLimits: false, TimeSpan.FromDays(1)), path);
            using (var scope = host.Service<IServiceScopeFactory>().CreateScope())
            {
                var client = scope.ServiceProvider.GetRequiredService<KlaviyoClient>();
                var read = 0L;
                var started = Stopwatch.GetTimestamp();
                await foreach (var page in client.GetPagesAsync("api/events?sort=datetime&page%5Bsize%5D=1000", RateTier.XL, CancellationToken.None))
                    read += page.Data.Count;
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                Row("sandbox + client alone (read, no write)", $"{read / seconds:N0} events/s", "(the bound to beat)");
            }

            var (stored, elapsed) = await SyncAllEventsAsync(host);
            using var process = Process.GetCurrentProcess();
            Row("ingest into SQLite (full events sync)", $"{stored / elapsed:N0} events/s", ">= 100,000 events/s");
            Row("  peak RSS (app, sandbox and bench in one)", $"{process.PeakWorkingSet64 / 1_048_576.0:N0} MB", "<= 300 MB");
            Row("  events stored / time", $"{stored:N0} / {elapsed:F1} s", "");
            await WriteAloneAsync(host, Math.Min(events, 200_000));
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
        await IngestIntoPostgreSqlAsync(events);
    }

    /// <summary>The same full events sync into PostgreSQL, when KLAVIYO_TEST_POSTGRES names a server (<c>export KLAVIYO_TEST_POSTGRES=$(scripts/throwaway-postgres.sh)</c>).</summary>
    private static async Task IngestIntoPostgreSqlAsync(long events)
    {
        if (Environment.GetEnvironmentVariable("KLAVIYO_TEST_POSTGRES") is not { Length: > 0 } server)
        {
            Row("ingest into PostgreSQL", "not run", "set KLAVIYO_TEST_POSTGRES");
            return;
        }
        var database = $"klaviyo_ingest_{Guid.NewGuid():N}";
        var path = Path.Combine(Path.GetTempPath(), database + ".db");
        try
        {
            var settings = Account(events, rateLimits: false, TimeSpan.FromDays(1));
            settings["Database:Provider"] = "PostgreSql";
            settings["ConnectionStrings:Klaviyo"] = $"{server};Database={database}";
            settings["Database:DataDirectory"] = path + ".data";
            await using var host = await FaultHost.StartAsync(settings, path);
            var (stored, elapsed) = await SyncAllEventsAsync(host);
            Row("ingest into PostgreSQL (full events sync)", $"{stored / elapsed:N0} events/s", ">= 100,000 events/s");
            Row("  events stored / time", $"{stored:N0} / {elapsed:F1} s", "");
        }
        finally
        {
            PostgreSqlDatabase.Drop(server, database);
            if (Directory.Exists(path + ".data"))
                Directory.Delete(path + ".data", recursive: true);
        }
    }

    /// <summary>What the events refer to, then every event (a full sync), timed: events stored and seconds.</summary>
    private static async Task<(long Stored, double Seconds)> SyncAllEventsAsync(FaultHost host)
    {
        var coordinator = host.Service<SyncCoordinator>();
        await SyncAsync(coordinator, [SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Forms]);
        var started = Stopwatch.GetTimestamp();
        await SyncAsync(coordinator, [SyncEntity.Events]);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await using var db = await host.DbAsync();
        return (await db.Events.LongCountAsync(), seconds);
    }

    /// <summary>
    /// The database's share: pages read into memory first, then written as the syncer writes them
    /// (events, rollups and checkpoint in one transaction per page) into a second, empty database,
    /// with nothing else running.
    /// </summary>
    private static async Task WriteAloneAsync(FaultHost source, long events)
    {
        var pages = new List<List<Event>>();
        using (var scope = source.Service<IServiceScopeFactory>().CreateScope())
        {
            var client = scope.ServiceProvider.GetRequiredService<KlaviyoClient>();
            await foreach (var page in client.GetPagesAsync("api/events?sort=datetime&page%5Bsize%5D=1000", RateTier.XL, CancellationToken.None))
            {
                pages.Add([.. page.Data.Select(EventsSyncer.Parse)]);
                if (pages.Sum(p => p.Count) >= events)
                    break;
            }
        }
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-write-{Guid.NewGuid():N}.db");
        try
        {
            await using var host = await FaultHost.StartAsync(Account(1_000, rateLimits: false, TimeSpan.FromDays(1)), path);
            var contexts = host.Service<IDbContextFactory<KlaviyoDbContext>>();
            var started = Stopwatch.GetTimestamp();
            foreach (var (page, n) in pages.Select((p, n) => (p, n)))
            {
                await using var db = await contexts.CreateDbContextAsync();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await EventPageWriter.WriteAsync(db, page, CancellationToken.None);
                var state = await db.SyncStates.SingleOrDefaultAsync(s => s.Entity == SyncEntity.Events) ?? db.SyncStates.Add(new SyncState { Entity = SyncEntity.Events }).Entity;
                state.Cursor = $"{{\"page\":{n}}}";
                await db.SaveChangesAsync();
                await transaction.CommitAsync();
            }
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Row("  the database's share alone (pages in memory)", $"{pages.Sum(p => p.Count) / seconds:N0} events/s", "");
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    /// <summary>Requests a minute while the sandbox enforces the XL tier (350/s burst, 3,500/min steady), and the 429s received.</summary>
    private static async Task EfficiencyAsync(long events)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-efficiency-{Guid.NewGuid():N}.db");
        try
        {
            await using var host = await FaultHost.StartAsync(Account(events, rateLimits: true, TimeSpan.FromDays(1)), path);
            var coordinator = host.Service<SyncCoordinator>();
            await SyncAsync(coordinator, [SyncEntity.Metrics]);
            var started = await coordinator.StartAsync([SyncEntity.Events], SyncMode.Full, "BENCH", CancellationToken.None);
            var run = started.Run!;
            var clock = Stopwatch.StartNew();
            var finished = coordinator.WhenFinishedAsync(run.Id);
            if (await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(60))) != finished)
                coordinator.Cancel(run.Id);
            await finished;
            var minutes = clock.Elapsed.TotalMinutes;
            await using var db = await host.DbAsync();
            var recorded = await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            var perMinute = recorded.Requests / minutes;
            Row("rate-limit efficiency (events, XL tier)", $"{perMinute / RateTier.XL.Steady:F3} ({perMinute:N0}/min)", ">= 0.95 of 3,500/min");
            Row("  429s received", recorded.RateLimited.ToString(CultureInfo.InvariantCulture), "0");
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    /// <summary>
    /// From the moment the sandbox emits an event to the dataChanged that follows its commit, with the
    /// product's schedule (events polled every 5 s, every second while they arrive). With webhooks, the
    /// sandbox also pushes the events whose metric has a topic (Klaviyo's own metrics: Placed Order has
    /// none, so polling still brings it); those are measured apart.
    /// </summary>
    private static async Task FreshnessAsync(TimeSpan every, string label, TimeSpan duration, bool webhooks = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-freshness-{Guid.NewGuid():N}.db");
        try
        {
            var settings = Account(20_000, rateLimits: true, every);
            settings["Sync:Enabled"] = "true";
            if (webhooks)
            {
                var address = $"http://127.0.0.1:{FreePort()}";
                (settings["Urls"], settings["Klaviyo:Webhooks:PublicUrl"]) = (address, address);
            }
            await using var host = await FaultHost.StartAsync(settings, path);
            await FaultSuite.WaitForCoreSyncAsync(host, DateTime.MinValue, TimeSpan.FromMinutes(3));
            var account = host.Service<SandboxAccount>();
            var pushed = webhooks ? host.Service<SandboxWebhooks>().Topics.Values.ToHashSet() : [];
            var latencies = new ConcurrentBag<double>();
            var polled = new ConcurrentBag<double>();
            var seen = account.EventCountAt(DateTime.UtcNow);
            var changes = Channel.CreateUnbounded<DateTime>();
            using var listener = host.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
            {
                if (e.Entities.Contains(SyncEntity.Events))
                    changes.Writer.TryWrite(DateTime.UtcNow);
            });
            var clock = Stopwatch.StartNew();
            await foreach (var at in changes.Reader.ReadAllAsync())
            {
                // Every event the database has now and had not before was made visible by this dataChanged.
                var emitted = account.EventCountAt(at);
                var ids = new Dictionary<string, long>();
                for (var i = seen; i < emitted; i++)
                    ids[account.Event(i).Id] = i;
                await using var db = await host.DbAsync();
                var keys = ids.Keys.ToList();
                var stored = await db.Events.AsNoTracking().Where(e => keys.Contains(e.Id)).Select(e => e.Id).ToListAsync();
                foreach (var id in stored)
                {
                    var latency = (at - account.ArrivalOf(ids[id])).TotalMilliseconds;
                    (!webhooks || pushed.Contains(account.Event(ids[id]).MetricId) ? latencies : polled).Add(latency);
                }
                seen = stored.Count == 0 ? seen : stored.Max(id => ids[id]) + 1;
                if (clock.Elapsed > duration)
                    break;
            }
            var sorted = latencies.Order().ToArray();
            Row(webhooks ? $"freshness at {label}, webhooks (pushed metrics)" : $"freshness at {label}: emission → dataChanged",
                sorted.Length == 0 ? "no events" : $"p50 {P(sorted, 0.5) / 1000:F2} / p95 {P(sorted, 0.95) / 1000:F2} / p99 {P(sorted, 0.99) / 1000:F2} s",
                webhooks ? "p95 <= 1 s" : "p95 <= 2 s");
            if (webhooks)
            {
                var rest = polled.Order().ToArray();
                Row("  the rest (no topic: polled)", rest.Length == 0 ? "no events" : $"p50 {P(rest, 0.5) / 1000:F2} / p95 {P(rest, 0.95) / 1000:F2} s", "");
                var status = host.Service<Klaviyo.Core.Webhooks.WebhookStatus>();
                Row("  deliveries / events pushed / stored first", $"{status.Deliveries:N0} / {status.Events:N0} / {status.Stored:N0}", "");
            }
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    /// <summary>One publish to every socket: publish → last delivery.</summary>
    private static async Task FanOutAsync(int sockets, int publishes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-fanout-{Guid.NewGuid():N}.db");
        try
        {
            var settings = Account(1_000, rateLimits: true, TimeSpan.FromDays(1));
            settings["Security:Sockets:MaxPerIdentity"] = (sockets + 10).ToString(CultureInfo.InvariantCulture);
            settings["Security:Sockets:MaxTotal"] = (sockets + 10).ToString(CultureInfo.InvariantCulture);
            await using var host = await FaultHost.StartAsync(settings, path);
            var bus = host.Service<EventBus>();
            var listening = bus.Subscribers;
            var last = new long[publishes];
            var delivered = new int[publishes];
            var clients = new List<BenchSocket>();
            for (var i = 0; i < sockets; i++)
            {
                clients.Add(await BenchSocket.SubscribeAsync(host.Address, "subscription { dataChanged { records } }", payload =>
                {
                    var n = (int)payload.GetProperty("data").GetProperty("dataChanged").GetProperty("records").GetInt64();
                    Interlocked.Increment(ref delivered[n]);
                    InterlockedMax(ref last[n], Stopwatch.GetTimestamp());
                    return Task.CompletedTask;
                }));
            }
            while (bus.Subscribers < listening + sockets)
                await Task.Delay(10);
            var spans = new List<double>();
            for (var n = 0; n < publishes; n++)
            {
                var published = Stopwatch.GetTimestamp();
                bus.Publish(new DataChangedEvent([SyncEntity.Events], DateTime.UtcNow, null, DateTime.UtcNow, n));
                var waited = Stopwatch.StartNew();
                while (Volatile.Read(ref delivered[n]) < sockets && waited.Elapsed < TimeSpan.FromSeconds(10))
                    await Task.Delay(1);
                spans.Add(Stopwatch.GetElapsedTime(published, Interlocked.Read(ref last[n])).TotalMilliseconds);
                await Task.Delay(200);
            }
            spans.Sort();
            var lost = delivered.Sum(d => sockets - d);
            Row($"fan-out to {sockets:N0} sockets: publish → last", $"p50 {P([.. spans], 0.5):F0} / p99 {P([.. spans], 0.99):F0} ms", "p99 <= 250 ms");
            Row("  deliveries missing", lost.ToString(CultureInfo.InvariantCulture), "0");
            foreach (var client in clients)
                await client.DisposeAsync();
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    private static int FreePort() => ServiceProcess.FreePort();

    private static Task SyncAsync(SyncCoordinator coordinator, SyncEntity[] entities) =>
        coordinator.StartAndWaitAsync(entities, SyncMode.Full, "BENCH", TimeSpan.FromHours(1));

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static double P(double[] sorted, double p) => LoadGenerator.Percentile(sorted, p);
}
