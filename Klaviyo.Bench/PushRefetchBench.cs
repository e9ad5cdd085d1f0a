using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Sync;
using Klaviyo.Testing.Faults;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench push [dashboards] [rounds]</c>: many dashboards subscribed to dataChanged, each showing one
/// of ten overviews (one per preset). A round does what the sync coordinator does after writing events —
/// evict, then publish through the same publisher — and every dashboard refetches as the Blazor client
/// does. Database computations per dataChanged should equal the distinct queries, not the dashboards;
/// the old client's refetch (forceFresh, i.e. Cache-Control: no-cache) runs beside it for comparison.
/// </summary>
public static class PushRefetchBench
{
    private static readonly string[] Presets = ["TODAY", "YESTERDAY", "LAST_7_DAYS", "LAST_30_DAYS", "LAST_90_DAYS", "THIS_WEEK", "THIS_MONTH", "LAST_MONTH", "THIS_QUARTER", "THIS_YEAR"];

    public static async Task RunAsync(int dashboards, int rounds)
    {
        Console.WriteLine($"Push → refetch: {dashboards} dashboards subscribed to dataChanged over real WebSockets, {Presets.Length} distinct overview queries, {rounds} rounds per mode, {Environment.ProcessorCount} cores");
        await using var bench = await BenchApp.StartAsync(new Dictionary<string, string?>
        {
            ["Security:Sockets:MaxPerIdentity"] = (dashboards + 10).ToString(CultureInfo.InvariantCulture),
            ["Security:Sockets:MaxTotal"] = (dashboards + 10).ToString(CultureInfo.InvariantCulture),
        });
        await using (var db = await bench.ContextAsync())
            await BenchData.SeedAsync(db, DateTime.UtcNow);

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = bench.Address };
        var bodies = Presets.Select(p => JsonSerializer.Serialize(new
        {
            query = "query($range: DateRangeInput!) { overview(range: $range, compareTo: PREVIOUS_PERIOD) { totalRevenue { value changePercent } orders { value } openRate { value } revenueSeries { start total } lastUpdated dataSource } }",
            variables = new { range = new { preset = p } },
        })).ToArray();
        var forceFresh = false;
        var answered = 0;
        var failures = new ConcurrentQueue<string>();
        var lastAnswer = Stopwatch.GetTimestamp();
        TaskCompletionSource allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task RefetchAsync(int dashboard)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(bodies[dashboard % bodies.Length], Encoding.UTF8, "application/json") };
            if (forceFresh)
                request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            using var answer = JsonDocument.Parse(text);
            if (!response.IsSuccessStatusCode || answer.RootElement.TryGetProperty("errors", out _))
                failures.Enqueue($"{(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
            Volatile.Write(ref lastAnswer, Stopwatch.GetTimestamp());
            if (Interlocked.Increment(ref answered) == dashboards)
                allAnswered.TrySetResult();
        }

        // Each dashboard loads once (as on opening), then listens.
        await Task.WhenAll(Enumerable.Range(0, dashboards).Select(RefetchAsync));
        var sockets = new List<BenchSocket>();
        for (var i = 0; i < dashboards; i++)
        {
            var dashboard = i;
            sockets.Add(await BenchSocket.SubscribeAsync(bench.Address, "subscription { dataChanged(scopes: [EVENTS]) { entities records lastUpdated } }", _ => RefetchAsync(dashboard)));
        }
        var bus = bench.Service<EventBus>();
        while (bus.Subscribers < dashboards)
            await Task.Delay(10);

        var cache = bench.Service<FreshCache>();
        var publisher = bench.Service<DataChangePublisher>();
        var statistics = bench.Service<CacheStatistics>();
        Console.WriteLine($"{"refetch",-34} {"computations per dataChanged",28} {"goal",6} {"publish → last answer p50 / max ms",36}");
        foreach (var mode in new[] { false, true })
        {
            forceFresh = mode;
            var computations = new List<long>();
            var spans = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                // Past the publisher's one-second pacing, so each round is one event sent at once.
                await Task.Delay(DataChangePublisher.MinimumInterval + TimeSpan.FromMilliseconds(100));
                (answered, allAnswered) = (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                var before = statistics.Misses;
                var published = Stopwatch.GetTimestamp();
                await cache.EvictAsync([SyncEntity.Events]);
                publisher.Changed(SyncEntity.Events, 1, DateTime.UtcNow, Guid.NewGuid());
                await allAnswered.Task.WaitAsync(TimeSpan.FromMinutes(2));
                computations.Add(statistics.Misses - before);
                spans.Add(Stopwatch.GetElapsedTime(published, Volatile.Read(ref lastAnswer)).TotalMilliseconds);
            }
            spans.Sort();
            var label = mode ? "forceFresh (the client before)" : "past the client cache (now)";
            Console.WriteLine($"{label,-34} {computations.Average(),28:F1} {(mode ? "" : $"<= {Presets.Length}"),6} {spans[spans.Count / 2],17:F0} / {spans[^1]:F0}");
        }
        var socketFailures = sockets.Select(s => s.Failure).OfType<string>().ToList();
        Console.WriteLine($"errors: {failures.Count} HTTP, {socketFailures.Count} sockets{(failures.TryPeek(out var first) ? $" (first: {first})" : "")}{(socketFailures.Count > 0 ? $" (first socket: {socketFailures[0]})" : "")}");
        foreach (var socket in sockets)
            await socket.DisposeAsync();
    }
}
