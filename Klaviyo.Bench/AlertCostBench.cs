using System.Diagnostics;
using System.Globalization;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.TimeRanges;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench alerts cost [rules, 1000] [events, 5000000] [passes, 5]</c>: that many rules over the sandbox's
/// Benchmark account, evaluated in full (every rule, as a forced pass does) several times: the pass's
/// wall time and its database time. The rules mix what people write: KPI thresholds and changes over
/// several windows (read through the overview, as the dashboard reads it), metric counts and values
/// against the previous period, and hourly and daily anomalies on the account's metrics.
/// </summary>
public static class AlertCostBench
{
    public static async Task RunAsync(string[] args)
    {
        var rules = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var events = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000;
        var passes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        await using var bench = await BenchApp.StartAsync(new Dictionary<string, string?> { ["Alerts:Tick"] = "01:00:00" });
        var account = BenchApp.BenchmarkSandbox(events);
        await using (var db = await bench.ContextAsync())
        {
            var (loaded, took) = await LargeAccount.LoadAsync(db, bench.ConnectionString, account, DateTime.UtcNow);
            Console.WriteLine($"Alert evaluation cost: {rules:N0} rules over {loaded:N0} events (loaded in {took.TotalSeconds:F0} s), {passes} full passes, {Environment.ProcessorCount} cores");
        }
        bench.Service<SyncClock>().Reload();
        var service = bench.Service<AlertService>();
        var metrics = account.Metrics.Select(m => m.Name).ToList();
        RangePreset[] windows = [RangePreset.Today, RangePreset.Yesterday, RangePreset.Last7Days, RangePreset.Last30Days];
        var kpis = Enum.GetValues<AlertKpi>();
        for (var i = 0; i < rules; i++)
        {
            var input = (i % 10) switch
            {
                < 4 => new AlertRuleInput
                {
                    Name = $"kpi {i}",
                    Kind = i % 2 == 0 ? AlertKind.Threshold : AlertKind.Change,
                    Kpi = kpis[i % kpis.Length],
                    Window = windows[i % windows.Length],
                    Comparison = AlertComparison.Below,
                    Threshold = i % 2 == 0 ? 1 : -20,
                },
                < 8 => new AlertRuleInput
                {
                    Name = $"metric {i}",
                    Kind = i % 2 == 0 ? AlertKind.Threshold : AlertKind.Change,
                    Subject = AlertSubject.Metric,
                    MetricName = metrics[i % metrics.Count],
                    Window = windows[i % windows.Length],
                    Comparison = AlertComparison.Below,
                    Threshold = i % 2 == 0 ? 1 : -20,
                },
                _ => new AlertRuleInput
                {
                    Name = $"anomaly {i}",
                    Kind = AlertKind.Anomaly,
                    Subject = AlertSubject.Metric,
                    MetricName = metrics[i % metrics.Count],
                    Granularity = i % 20 < 10 ? AlertGranularity.Hour : AlertGranularity.Day,
                    WindowBuckets = i % 20 < 10 ? 6 : 1,
                },
            };
            input.EvaluateEverySeconds = 300;
            await service.CreateRuleAsync(input, "bench", CancellationToken.None);
        }
        var evaluator = bench.Service<AlertEvaluator>();
        var profile = bench.Service<QueryProfile>();
        var times = new List<double>();
        var databaseMs = new List<double>();
        var statements = new List<long>();
        for (var p = 0; p <= passes; p++)
        {
            profile.Reset();
            profile.Recording = true;
            var started = Stopwatch.GetTimestamp();
            await evaluator.PassAsync(force: true, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            profile.Recording = false;
            if (p == 0)
                continue; // the first pass pays for the JIT and cold caches
            times.Add(elapsed);
            databaseMs.Add(profile.Totals.Ms);
            statements.Add(profile.Totals.Statements);
        }
        times.Sort();
        Console.WriteLine($"{"full pass",-20} p50 {times[times.Count / 2],8:F0} ms   p95 {times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)],8:F0} ms   ({times.Average() / rules:F2} ms a rule)");
        Console.WriteLine($"{"database per pass",-20} {databaseMs.Average(),8:F0} ms in {statements.Average():F0} statements");
        Console.WriteLine($"(a rule is due every 5 minutes by default: a pass of {times[^1] / 1000:F1} s in 300 s uses {times[^1] / 3000:F1} % of one core's time)");
    }
}
