using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;
using Klaviyo.Core.TimeRanges;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench alerts delivery [notifications, 10000] [changes, 40]</c>: the outbox end to end, over
/// loopback to a real webhook receiver (Kestrel) that verifies nothing but counts everything.
/// 1. Latency: a rule is created and evaluated; from its log entry (the state change, committed) to
///    the signed webhook arriving. Goal p95 ≤ 2 s (at the default group wait of 30 s it is the wait).
/// 2. Drain: that many notifications queued at once over 10 webhooks, every 10th request answered
///    503 (retried under the same webhook-id); goal 0 lost, 0 duplicated (an alert delivered under two
///    different webhook-ids).
/// </summary>
public static class AlertDeliveryBench
{
    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var changes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        await using var receiver = await Receiver.StartAsync();
        await using var bench = await BenchApp.StartAsync(new Dictionary<string, string?>
        {
            // Notified as soon as decided: the figure is the product's, not the policy's wait.
            ["Alerts:GroupWait"] = "00:00:00",
            ["Alerts:GroupInterval"] = "00:00:00",
            ["Alerts:Tick"] = "00:00:00.200",
        });
        await using (var db = await bench.ContextAsync())
            await BenchData.SeedAsync(db, DateTime.UtcNow);
        var alerts = bench.Service<AlertService>();
        var evaluator = bench.Service<AlertEvaluator>();
        var first = await alerts.CreateContactPointAsync(new ContactPointInput { Name = "bench 0", Kind = ContactKinds.Webhook, Url = receiver.Url + "/0" }, "bench", CancellationToken.None);
        Console.WriteLine($"Alert delivery benchmark: {changes} state changes one by one, then {total:N0} notifications queued at once over 10 webhooks (every 10th answer a 503)");

        // 1. State change → webhook received.
        await evaluator.PassAsync(force: true, CancellationToken.None); // the built-in rules settle first
        var latencies = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var name = $"Revenue seen {i}";
            await alerts.CreateRuleAsync(new AlertRuleInput
            {
                Name = name,
                Kind = AlertKind.Threshold,
                Kpi = AlertKpi.Revenue,
                Window = RangePreset.Last30Days,
                Comparison = AlertComparison.Above,
                Threshold = 0,
                ContactPointIds = [first.ContactPoint.Id.ToString()],
            }, "bench", CancellationToken.None);
            await evaluator.PassAsync(force: true, CancellationToken.None);
            await using var db = await bench.ContextAsync();
            var changedAt = await db.AlertLog.Where(e => e.RuleName == name && e.To == nameof(AlertState.Firing)).Select(e => e.At).SingleAsync();
            var arrived = await receiver.WaitForAsync(name, TimeSpan.FromSeconds(30));
            latencies.Add((arrived - changedAt).TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine($"{"state change → webhook",-28} p50 {Percentile(latencies, 0.50),7:F0} ms   p95 {Percentile(latencies, 0.95),7:F0} ms   max {latencies[^1],7:F0} ms   goal p95 <= 2000 ms");

        // 2. A backlog drained: nothing lost, nothing twice.
        receiver.FailEvery = 10;
        var contacts = new List<Guid> { first.ContactPoint.Id };
        for (var c = 1; c < 10; c++)
            contacts.Add((await alerts.CreateContactPointAsync(new ContactPointInput { Name = $"bench {c}", Kind = ContactKinds.Webhook, Url = receiver.Url + "/" + c }, "bench", CancellationToken.None)).ContactPoint.Id);
        var ids = new HashSet<Guid>();
        var now = DateTime.UtcNow;
        await using (var db = await bench.ContextAsync())
        {
            var rule = await db.AlertRules.Select(r => r.Id).FirstAsync();
            for (var i = 0; i < total; i++)
            {
                var entry = new AlertLogEntry
                {
                    Id = Guid.NewGuid(),
                    RuleId = rule,
                    RuleName = "Backlog",
                    RuleVersion = 1,
                    Key = $"k{i}",
                    From = nameof(AlertState.Normal),
                    To = nameof(AlertState.Firing),
                    At = now,
                    Message = $"backlog {i}",
                };
                ids.Add(entry.Id);
                db.AlertLog.Add(entry);
                var contact = contacts[i % contacts.Count];
                db.Notifications.Add(new Notification { Id = Guid.NewGuid(), Key = $"bench:{entry.Id}:{contact}", ContactPointId = contact, LogEntryId = entry.Id, CreatedAt = now, NextAttemptAt = now });
            }
            await db.SaveChangesAsync();
        }
        var started = Stopwatch.GetTimestamp();
        bench.Service<NotificationDispatcher>().Wake();
        while (true)
        {
            await using var db = await bench.ContextAsync();
            if (!await db.Notifications.AnyAsync(n => n.Key.StartsWith("bench:") && n.SentAt == null && n.AbandonedAt == null))
                break;
            await Task.Delay(100);
        }
        var drained = Stopwatch.GetElapsedTime(started);
        var delivered = receiver.AlertIds();
        var lost = ids.Count(id => !delivered.ContainsKey(id));
        var duplicated = ids.Count(id => delivered.TryGetValue(id, out var messages) && messages.Count > 1);
        await using (var db = await bench.ContextAsync())
        {
            var abandoned = await db.Notifications.CountAsync(n => n.Key.StartsWith("bench:") && n.AbandonedAt != null);
            Console.WriteLine($"{"drain " + total.ToString("N0", CultureInfo.InvariantCulture) + " notifications",-28} {drained.TotalSeconds,7:F1} s ({total / drained.TotalSeconds:F0}/s), {receiver.Requests} requests of which {receiver.Refused} refused and retried");
            Console.WriteLine($"{"",-28} lost {lost} (goal 0), duplicated {duplicated} (goal 0), abandoned {abandoned}");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>A webhook endpoint that records which alerts arrived under which webhook-id, and refuses every n-th request.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, bool>> _alerts = new();
        private readonly ConcurrentDictionary<string, DateTime> _rules = new();
        private long _requests;
        private long _refused;

        public string Url { get; private set; } = "";
        public int FailEvery { get; set; }
        public long Requests => Interlocked.Read(ref _requests);
        public long Refused => Interlocked.Read(ref _refused);

        private Receiver()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/hook/{n}", async (HttpContext http) =>
            {
                var arrived = DateTime.UtcNow;
                var count = Interlocked.Increment(ref _requests);
                using var body = await JsonDocument.ParseAsync(http.Request.Body);
                if (FailEvery > 0 && count % FailEvery == 0)
                {
                    Interlocked.Increment(ref _refused);
                    return Results.StatusCode(503);
                }
                var webhookId = http.Request.Headers["webhook-id"].ToString();
                foreach (var alert in body.RootElement.GetProperty("alerts").EnumerateArray())
                {
                    _alerts.GetOrAdd(alert.GetProperty("id").GetGuid(), _ => new())[webhookId] = true;
                    _rules.TryAdd(alert.GetProperty("rule").GetString()!, arrived);
                }
                return Results.Ok();
            });
        }

        public static async Task<Receiver> StartAsync()
        {
            var receiver = new Receiver();
            await receiver._app.StartAsync();
            receiver.Url = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
            return receiver;
        }

        public async Task<DateTime> WaitForAsync(string rule, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (!_rules.ContainsKey(rule))
            {
                if (DateTime.UtcNow > until)
                    throw new TimeoutException($"No notification of '{rule}' arrived within {timeout.TotalSeconds:0} s.");
                await Task.Delay(5);
            }
            return _rules[rule];
        }

        /// <summary>Each alert delivered, with the webhook-ids it arrived under.</summary>
        public IReadOnlyDictionary<Guid, ICollection<string>> AlertIds() => _alerts.ToDictionary(a => a.Key, a => (ICollection<string>)a.Value.Keys);

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
