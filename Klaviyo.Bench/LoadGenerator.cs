using System.Diagnostics;
using System.Text;

namespace Klaviyo.Bench;

/// <summary>Closed-loop load: N workers over N keep-alive connections, each sending the next request as soon as the last answer is read.</summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, Func<HttpRequestMessage> request, int connections, TimeSpan warmup, TimeSpan duration) =>
        (await CompareAsync(baseAddress, [request], connections, warmup, duration, duration))[0];

    /// <summary>
    /// Several endpoints measured in turns — each for <paramref name="turn"/>, round after round, until each has had
    /// <paramref name="duration"/> — instead of one after the other: on a shared machine whose speed drifts by a
    /// third from one minute to the next, a slow stretch then falls on every endpoint alike and their ratio holds.
    /// </summary>
    public static async Task<LoadResult[]> CompareAsync(Uri baseAddress, IReadOnlyList<Func<HttpRequestMessage>> requests, int connections,
        TimeSpan warmup, TimeSpan duration, TimeSpan turn)
    {
        var handlers = requests.Select(_ => new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }).ToArray();
        var clients = handlers.Select(h => new HttpClient(h) { BaseAddress = baseAddress }).ToArray();
        try
        {
            for (var i = 0; i < requests.Count; i++)
                await RunPhaseAsync(clients[i], requests[i], connections, warmup, record: null);
            var latencies = requests.Select(_ => Enumerable.Range(0, connections).Select(_ => new List<double>(100_000)).ToArray()).ToArray();
            var elapsed = new TimeSpan[requests.Count];
            var allocated = new long[requests.Count];
            for (var measured = TimeSpan.Zero; measured < duration; measured += turn)
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    var before = GC.GetTotalAllocatedBytes();
                    elapsed[i] += await RunPhaseAsync(clients[i], requests[i], connections, turn < duration - measured ? turn : duration - measured, latencies[i]);
                    allocated[i] += GC.GetTotalAllocatedBytes() - before;
                }
            }
            return [.. Enumerable.Range(0, requests.Count).Select(i => Result(latencies[i], elapsed[i], allocated[i]))];
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    private static LoadResult Result(List<double>[] latencies, TimeSpan elapsed, long allocated)
    {
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99),
            all.Length == 0 ? 0 : allocated / all.Length);
    }

    private static async Task<TimeSpan> RunPhaseAsync(HttpClient client, Func<HttpRequestMessage> request, int connections, TimeSpan duration, List<double>[]? record)
    {
        using var stop = new CancellationTokenSource(duration);
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, connections).Select(async i =>
        {
            while (!stop.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var message = request();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                record?[i].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        });
        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The nearest-rank percentile of an ascending array (NaN when empty); every bench reports with it.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public static Func<HttpRequestMessage> GraphQLPost(string json) => Post("/graphql", json);

    /// <summary>A GraphQL POST that bypasses every cache (Cache-Control: no-cache): the database answers each time.</summary>
    public static Func<HttpRequestMessage> UncachedGraphQLPost(string json) => () =>
    {
        var message = Post("/graphql", json)();
        message.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        return message;
    };

    /// <summary>
    /// The same document each time in a body never sent before (a request id in <c>extensions</c>, as a
    /// tracing client sends): the whole-response cache misses, so the operation is parsed, validated,
    /// executed and serialized, while its payloads come from the field cache.
    /// </summary>
    public static Func<HttpRequestMessage> ExecutedGraphQLPost(string json)
    {
        var head = json[..json.LastIndexOf('}')];
        var sent = 0L;
        return () => Post("/graphql", $"{head},\"extensions\":{{\"requestId\":{Interlocked.Increment(ref sent)}}}}}")();
    }

    /// <summary>A JSON POST; the baseline gets the very same request the GraphQL endpoint gets.</summary>
    public static Func<HttpRequestMessage> Post(string path, string json) => () =>
        new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static Func<HttpRequestMessage> Get(string path) => () => new HttpRequestMessage(HttpMethod.Get, path);
}

/// <param name="AllocatedPerRequest">Bytes the process allocated per request, client and server together (both run in the bench's process).</param>
public sealed record LoadResult(int Requests, double PerSecond, double P50Ms, double P95Ms, double P99Ms, long AllocatedPerRequest);
