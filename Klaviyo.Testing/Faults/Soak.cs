using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Klaviyo.Testing.Faults;

/// <summary>How long, how many push subscribers, how many requests a second, how often someone presses Refresh.</summary>
public sealed record SoakOptions(TimeSpan Duration, int Subscribers, int RequestsPerSecond, TimeSpan RefreshEvery)
{
    public static readonly SoakOptions Bench = new(TimeSpan.FromMinutes(30), 200, 20, TimeSpan.FromSeconds(30));
    public static readonly SoakOptions Short = new(TimeSpan.FromSeconds(20), 20, 10, TimeSpan.FromSeconds(5));
}

/// <summary>Memory after a full collection and the working set, at the start (after warm-up) and the end.</summary>
/// <param name="HeapMiddle">Halfway: growth from there to the end shows whether it is still growing or was filling up.</param>
public sealed record SoakResult(long Requests, long Errors, string? FirstError, double P50Ms, double P99Ms, long Pushes, int SocketFailures,
    long HeapStart, long HeapMiddle, long HeapEnd, long WorkingSetStart, long WorkingSetEnd)
{
    public double HeapGrowth => (double)HeapEnd / HeapStart - 1;

    public double SecondHalfGrowth => (double)HeapEnd / HeapMiddle - 1;

    public void Print(TextWriter output)
    {
        static string Mb(long bytes) => (bytes / 1_048_576.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";
        output.WriteLine($"requests {Requests}, errors {Errors} (goal 0){(FirstError is null ? "" : $", first: {FirstError}")}, p50 {P50Ms:F1} ms, p99 {P99Ms:F1} ms");
        output.WriteLine($"pushes received {Pushes}, subscribers dropped {SocketFailures} (goal 0)");
        output.WriteLine($"managed heap after a full GC: {Mb(HeapStart)} → {Mb(HeapMiddle)} halfway → {Mb(HeapEnd)} ({HeapGrowth:+0.0%;-0.0%} overall, {SecondHalfGrowth:+0.0%;-0.0%} in the second half; goal within ±10 %); working set {Mb(WorkingSetStart)} → {Mb(WorkingSetEnd)}");
    }
}

/// <summary>
/// The app with its schedule syncing a living sandbox account, WebSocket subscribers receiving every
/// push, and a steady mix of dashboard requests with a Refresh now and then — for a long time.
/// </summary>
public static class Soak
{
    private static readonly string[] Queries =
    [
        "{ overview(range: { preset: LAST_7_DAYS }, compareTo: PREVIOUS_PERIOD) { totalRevenue { value changePercent } revenueSeries { start total } lastUpdated dataSource } }",
        "{ overview(range: { preset: LAST_30_DAYS }) { orders { value } openRate { value } lastUpdated dataSource } }",
        "{ overview(range: { preset: TODAY }) { totalRevenue { value } lastUpdated dataSource } }",
        "{ campaigns(first: 10) { nodes { id name revenue openRate } totalCount lastUpdated dataSource } }",
        "{ flows(first: 10) { nodes { id name revenue } lastUpdated dataSource } }",
        "{ forms(first: 10) { nodes { id name } lastUpdated dataSource } }",
        "{ segments(first: 10) { nodes { id name } lastUpdated dataSource } }",
        "{ syncStatus { entities { entity state lastSuccessAt recordCount } isSyncing lastUpdated dataSource } }",
        "{ syncRuns(first: 5) { id outcome records } }",
        "{ diagnostics { errors { code } } }",
    ];

    private const string Refresh = "mutation { refreshData(input: { scopes: [EVENTS, CAMPAIGNS, PROFILES] }) { scopes } }";

    public static async Task<SoakResult> RunAsync(SoakOptions soak, FaultSuiteOptions app, Action<string>? progress = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-soak-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>(app.Settings())
        {
            ["Security:Sockets:MaxPerIdentity"] = (soak.Subscribers + 10).ToString(CultureInfo.InvariantCulture),
            ["Security:Sockets:MaxTotal"] = (soak.Subscribers + 10).ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            await using var host = await FaultHost.StartAsync(settings, path);
            await FaultSuite.WaitForCoreSyncAsync(host, DateTime.MinValue, TimeSpan.FromMinutes(2));
            long pushes = 0;
            var sockets = new List<BenchSocket>();
            for (var i = 0; i < soak.Subscribers; i++)
            {
                sockets.Add(await BenchSocket.SubscribeAsync(host.Address, "subscription { dataChanged { entities records lastUpdated } }", _ =>
                {
                    Interlocked.Increment(ref pushes);
                    return Task.CompletedTask;
                }));
            }

            using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(30) };
            var latencies = new ConcurrentQueue<double>();
            var errors = new ConcurrentQueue<string>();
            var requests = 0L;
            // Counted, not kept: holding every finished request's task would hold its response too, and the
            // bench's own memory would read as the app's growth.
            var inFlight = 0L;
            async Task SendAsync(string query)
            {
                var started = Stopwatch.GetTimestamp();
                Interlocked.Increment(ref requests);
                try
                {
                    using var content = new StringContent(JsonSerializer.Serialize(new { query }), Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("/graphql", content);
                    var body = await response.Content.ReadAsStringAsync();
                    using var answer = JsonDocument.Parse(body);
                    if (!response.IsSuccessStatusCode || answer.RootElement.TryGetProperty("errors", out _))
                        errors.Enqueue($"{(int)response.StatusCode} {body[..Math.Min(160, body.Length)]}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    errors.Enqueue(e.Message);
                }
                finally
                {
                    latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Decrement(ref inFlight);
                }
            }

            // Open loop at the set rate: requests do not wait for each other, as many dashboards would not.
            async Task LoadAsync(TimeSpan duration, string phase)
            {
                var clock = Stopwatch.StartNew();
                var lastRefresh = TimeSpan.Zero;
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / soak.RequestsPerSecond));
                var n = 0;
                while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
                {
                    var query = clock.Elapsed - lastRefresh >= soak.RefreshEvery ? Refresh : Queries[n++ % Queries.Length];
                    if (query == Refresh)
                        lastRefresh = clock.Elapsed;
                    Interlocked.Increment(ref inFlight);
                    _ = SendAsync(query);
                    if (n % (soak.RequestsPerSecond * 60) == 0)
                        progress?.Invoke($"{phase} {clock.Elapsed.TotalMinutes:F0} min: {Interlocked.Read(ref requests)} requests, {errors.Count} errors, {Interlocked.Read(ref pushes)} pushes, heap {GC.GetTotalMemory(false) / 1_048_576} MB");
                }
                while (Interlocked.Read(ref inFlight) > 0)
                    await Task.Delay(10);
            }

            // Warm-up (JIT, caches, pools, statistics windows) before the start figure.
            await LoadAsync(TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(3).Ticks, soak.Duration.Ticks / 10)), "warm-up");
            (requests, latencies, errors) = (0, new ConcurrentQueue<double>(), new ConcurrentQueue<string>());
            var (heapStart, workingSetStart) = Memory();

            await LoadAsync(soak.Duration / 2, "first half");
            var (heapMiddle, _) = Memory();
            await LoadAsync(soak.Duration / 2, "second half");

            var (heapEnd, workingSetEnd) = Memory();
            var sorted = latencies.Order().ToArray();
            var failures = sockets.Count(s => s.Failure is not null);
            foreach (var socket in sockets)
                await socket.DisposeAsync();
            return new SoakResult(requests, errors.Count, errors.TryPeek(out var first) ? first : null,
                sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.99))], Interlocked.Read(ref pushes), failures,
                heapStart, heapMiddle, heapEnd, workingSetStart, workingSetEnd);
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    private static (long Heap, long WorkingSet) Memory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
