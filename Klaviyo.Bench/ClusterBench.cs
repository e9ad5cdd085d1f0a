using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Testing;
using Klaviyo.Testing.Faults;
using Klaviyo.Testing.Processes;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench cluster [events = 500] [minutes = 10]</c>: two instances in one process on one SQLite file and one
/// throwaway redis-server, with the product's lease settings (TTL 15 s, renewal 3 s) — cross-instance
/// events, the hand-over after a graceful stop and after the leader loses its database; then
/// <see cref="ClusterKillBench"/>: separate processes SIGKILLed at random for <c>minutes</c> (0 skips it).
/// </summary>
public static class ClusterBench
{
    private static void Row(string figure, string measured, string goal) => Console.WriteLine($"{figure,-50} {measured,24} {goal,22}");

    public static async Task RunAsync(string[] args)
    {
        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var minutes = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        using var redis = new RedisServer();
        Console.WriteLine($"Cluster benchmark: 2 instances, SQLite, redis-server on {redis.Configuration}, {Environment.ProcessorCount} cores");
        Row("figure", "measured", "goal");
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-cluster-{Guid.NewGuid():N}.db");
        try
        {
            var a = await FaultHost.StartAsync(Settings("A", redis.Configuration), path);
            var b = await FaultHost.StartAsync(Settings("B", redis.Configuration), path);
            var (leader, follower) = await LeaderAsync(a, b, TimeSpan.FromSeconds(30));

            // Publish on the leader's bus as a sync does; the follower's bus delivers it to its sockets after evicting its caches.
            var received = new long[events];
            using (follower.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e =>
                   {
                       if (e.Records >= 0 && e.Records < events)
                           Interlocked.CompareExchange(ref received[e.Records], Stopwatch.GetTimestamp(), 0);
                   }))
            {
                var sent = new long[events];
                var bus = leader.Service<EventBus>();
                for (var i = 0; i < events; i++)
                {
                    sent[i] = Stopwatch.GetTimestamp();
                    bus.Publish(new DataChangedEvent([SyncEntity.Events], DateTime.UtcNow, null, DateTime.UtcNow, i));
                    await Task.Delay(10);
                }
                var waited = Stopwatch.StartNew();
                while (received.Any(r => r == 0) && waited.Elapsed < TimeSpan.FromSeconds(5))
                    await Task.Delay(10);
                var latencies = received.Select((r, i) => r == 0 ? double.NaN : Stopwatch.GetElapsedTime(sent[i], r).TotalMilliseconds).Where(l => !double.IsNaN(l)).Order().ToArray();
                Row("cross-instance dataChanged (evicted, then delivered)", $"p50 {P(latencies, 0.5):F1} / p95 {P(latencies, 0.95):F1} ms", "p95 <= 50 ms");
                Row("  events lost", (events - latencies.Length).ToString(CultureInfo.InvariantCulture), "0");
            }

            await CoherenceAsync(leader, follower, rounds: 20);

            // A graceful stop releases the lease: the follower takes it at its next renewal.
            var stopped = Stopwatch.StartNew();
            await leader.DisposeAsync();
            while (!follower.Service<LeaderLease>().IsLeader)
                await Task.Delay(20);
            Row("takeover after a graceful stop", $"{stopped.Elapsed.TotalSeconds:F1} s", "<= 3 s");

            // The new leader loses its database (as a killed or cut-off process would stop renewing): a fresh instance takes over after the TTL.
            var c = await FaultHost.StartAsync(Settings("C", redis.Configuration), path);
            follower.Database.Down = true;
            var cut = Stopwatch.StartNew();
            while (!c.Service<LeaderLease>().IsLeader && cut.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(50);
            var stepped = !follower.Service<LeaderLease>().IsLeader;
            Row("takeover after the leader stops renewing", $"{cut.Elapsed.TotalSeconds:F1} s", "<= 17 s");
            Row("  the old leader had stopped leading", stepped ? "yes" : "no", "yes");
            follower.Database.Down = false;
            await follower.DisposeAsync();
            await c.DisposeAsync();
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
        if (minutes > 0)
            await ClusterKillBench.RunAsync(TimeSpan.FromMinutes(minutes), Row);
    }

    /// <summary>
    /// Cache coherence as a client sees it: the follower's answer to a query it had cached (every
    /// metric's event count for 7 days) is polled while the leader syncs new events; the time from
    /// the leader's <c>dataChanged</c> to the follower first answering what the leader answers.
    /// </summary>
    private static async Task CoherenceAsync(FaultHost leader, FaultHost follower, int rounds)
    {
        var coordinator = leader.Service<SyncCoordinator>();
        await SyncAsync(coordinator, SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Events);
        using var leaderHttp = new HttpClient { BaseAddress = leader.Address };
        using var followerHttp = new HttpClient { BaseAddress = follower.Address };
        var metrics = (await PostAsync(leaderHttp, "{ metrics { nodes { id } } }"))["data"]!["metrics"]!["nodes"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();
        var query = "{ " + string.Join(" ", metrics.Select((id, i) =>
            $"m{i}: metricSeries(metricId: \"{id}\", range: {{ preset: LAST_7_DAYS }}, interval: DAY, measurement: COUNT) {{ total }}")) + " }";
        string Data(JsonNode answer) => answer["errors"] is null ? answer["data"]!.ToJsonString() : throw new InvalidOperationException(answer.ToJsonString());

        var latencies = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var before = Data(await PostAsync(followerHttp, query)); // cached on the follower from here
            await Task.Delay(1200); // the sandbox emits an event a second
            long changedAt = 0;
            using var _ = leader.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e => Interlocked.CompareExchange(ref changedAt, Stopwatch.GetTimestamp(), 0));
            using var stop = new CancellationTokenSource();
            var samples = new System.Collections.Concurrent.ConcurrentQueue<(long At, string Data)>();
            var poller = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    samples.Enqueue((Stopwatch.GetTimestamp(), Data(await PostAsync(followerHttp, query))));
            });
            await SyncAsync(coordinator, SyncEntity.Events);
            var expected = Data(await PostAsync(leaderHttp, query));
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(5) && !samples.Any(x => x.Data == expected))
                await Task.Delay(5);
            await stop.CancelAsync();
            await poller;
            if (expected == before || Interlocked.Read(ref changedAt) == 0)
                continue; // no new event this round
            var first = samples.FirstOrDefault(x => x.Data == expected && x.At >= changedAt);
            latencies.Add(first.At == 0 ? double.PositiveInfinity : Stopwatch.GetElapsedTime(changedAt, first.At).TotalMilliseconds);
        }
        var sorted = latencies.Order().ToArray();
        Row("cache coherence: leader's dataChanged → follower", sorted.Length == 0 ? "—" : $"p50 {P(sorted, 0.5):F1} / p95 {P(sorted, 0.95):F1} ms", "p95 <= 100 ms");
        Row("  rounds with new data (of " + rounds + ")", sorted.Length.ToString(CultureInfo.InvariantCulture), "");
    }

    private static Task SyncAsync(SyncCoordinator coordinator, params SyncEntity[] entities) =>
        coordinator.StartAndWaitAsync(entities, SyncMode.Incremental, "BENCH", TimeSpan.FromHours(1));

    private static async Task<JsonNode> PostAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query });
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static Dictionary<string, string?> Settings(string id, string redis) => new()
    {
        ["Coordination:Enabled"] = "true",
        ["Coordination:InstanceId"] = id,
        ["Coordination:Redis"] = redis,
        ["Sync:Enabled"] = "false",
        ["Security:RateLimits:Enabled"] = "false",
        ["Sandbox:HistoryDays"] = "1",
        ["Sandbox:EventsPerDay"] = "1000",
    };

    private static async Task<(FaultHost Leader, FaultHost Follower)> LeaderAsync(FaultHost a, FaultHost b, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (a.Service<LeaderLease>().IsLeader)
                return (a, b);
            if (b.Service<LeaderLease>().IsLeader)
                return (b, a);
            await Task.Delay(20);
        }
        throw new TimeoutException("No instance took the sync lease.");
    }

    private static double P(double[] sorted, double p) => LoadGenerator.Percentile(sorted, p);
}
