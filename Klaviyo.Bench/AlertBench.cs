using System.Diagnostics;
using System.Globalization;
using Klaviyo.Core.Alerts;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench alerts [series, 200] [seed, 7]</c>: detection quality of the anomaly rules at their
/// default settings, on a year of synthetic hourly and daily counts with weekly seasonality, trend
/// and Poisson noise, with planted drops, spikes and slow decays of known size and length. The
/// detector is the product's (<see cref="AnomalyDetector"/>), fed exactly as the evaluator feeds it:
/// the window just ended and the same window in each of the 12 weeks before.
/// </summary>
public static class AlertBench
{
    private sealed record Plant(int Start, int Length, double Factor);

    public static Task RunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "delivery":
                return AlertDeliveryBench.RunAsync([.. args.Skip(1)]);
            case "cost":
                return AlertCostBench.RunAsync([.. args.Skip(1)]);
        }
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
        var monitor = AlertDefaults.Rules.Single(r => r.Key == "monitor:placed-order-drop").Definition;
        Console.WriteLine($"Alert detection benchmark: {count} hourly and {count} daily series of a year each, seed {seed}");
        Console.WriteLine($"Hourly rule = the Placed Order monitor: {monitor.WindowBuckets} h window, sensitivity {monitor.Sensitivity}, min change {monitor.MinChangePercent} %, pending {monitor.PendingFor.TotalMinutes:0} min");
        var watch = Stopwatch.StartNew();
        Report("hourly", Simulate(count, seed, hourly: true, monitor));
        // Daily windows are judged 24 times less often than hourly ones: sensitivity 3 keeps false alerts as rare.
        var daily = monitor with { Granularity = AlertGranularity.Day, WindowBuckets = 1, PendingFor = TimeSpan.Zero, Sensitivity = 3 };
        Console.WriteLine($"Daily rule: 1-day window, sensitivity {daily.Sensitivity}, min change {daily.MinChangePercent} %");
        Report("daily", Simulate(count, seed + 1, hourly: false, daily));
        DecayReport(count, seed + 2);
        Console.WriteLine($"({watch.Elapsed.TotalSeconds:0.0} s)");
        return Task.CompletedTask;
    }

    private sealed record Outcome(int Planted, int Detected, List<double> DelaysHours, int FalseAlerts, double RuleMonths, int SpikesPlanted, int SpikesFired);

    private static Outcome Simulate(int count, int seed, bool hourly, AlertDefinition rule)
    {
        var random = new Random(seed);
        var perWeek = hourly ? 168 : 7;
        var perDay = hourly ? 24 : 1;
        var length = 365 * perDay;
        var warmup = (AnomalyDetector.MaximumWeeks + 1) * perWeek;
        int planted = 0, detected = 0, falseAlerts = 0, spikes = 0, spikesFired = 0;
        var delays = new List<double>();
        var cleanMonths = 0.0;
        for (var s = 0; s < count; s++)
        {
            var clean = s % 2 == 0; // half the series stay clean: the false-alert rate is read there
            var plants = new List<Plant>();
            if (!clean)
            {
                for (var p = 0; p < 4; p++)
                {
                    var start = warmup + random.Next(length - warmup - 4 * perDay);
                    if (plants.Any(x => Math.Abs(x.Start - start) < 21 * perDay))
                        continue;
                    var drop = p < 3;
                    plants.Add(new Plant(start, (drop ? 1 + random.Next(3) : 1) * perDay, drop ? 1 - (0.3 + 0.5 * random.NextDouble()) : 1.5 + 1.5 * random.NextDouble()));
                }
            }
            var series = Series(random, length, hourly, plants);
            var firings = Evaluate(series, perWeek, warmup, rule, hourly);
            if (clean)
            {
                falseAlerts += firings.Count;
                cleanMonths += (length - warmup) / (double)perDay / 30.44;
                continue;
            }
            foreach (var plant in plants)
            {
                var during = firings.Where(f => f >= plant.Start && f < plant.Start + plant.Length + rule.WindowBuckets).ToList();
                if (plant.Factor < 1)
                {
                    planted++;
                    if (during.Count > 0)
                    {
                        detected++;
                        delays.Add((during.Min() - plant.Start + 1) * (hourly ? 1 : 24) + rule.PendingFor.TotalHours);
                    }
                }
                else
                {
                    spikes++;
                    spikesFired += during.Count > 0 ? 1 : 0;
                }
            }
        }
        return new Outcome(planted, detected, delays, falseAlerts, cleanMonths, spikes, spikesFired);
    }

    /// <summary>
    /// Counts per bucket: a level per series, a daily shape (quiet nights), weekends, a yearly trend,
    /// a day-to-day swing beyond counting noise (±10 %: weather, a newsletter, a competitor's sale), Poisson noise, the plants.
    /// </summary>
    private static double[] Series(Random random, int length, bool hourly, IReadOnlyList<Plant> plants)
    {
        var level = hourly ? 5 + random.NextDouble() * 60 : 200 + random.NextDouble() * 2000; // events per hour, per day
        var weekend = 0.7 + random.NextDouble() * 0.6;
        var trend = (random.NextDouble() - 0.5) * 0.4; // ±20 % a year
        var series = new double[length];
        var days = Enumerable.Range(0, length / (hourly ? 24 : 1) + 1).Select(_ => Math.Max(0.5, 1 + 0.1 * Normal(random))).ToArray();
        for (var t = 0; t < length; t++)
        {
            var day = hourly ? t / 24 : t;
            var hour = hourly ? t % 24 : 12;
            var shape = hourly ? 0.35 + 1.3 * Math.Pow(Math.Sin(Math.PI * Math.Max(0, hour - 6) / 18.0), 2) : 1;
            var week = day % 7 >= 5 ? weekend : 1;
            var mean = level * shape * week * days[day] * (1 + trend * t / length);
            foreach (var plant in plants)
            {
                if (t >= plant.Start && t < plant.Start + plant.Length)
                    mean *= plant.Factor;
            }
            series[t] = Poisson(random, mean);
        }
        return series;
    }

    /// <summary>The buckets at which the rule's alert went to FIRING (state machine: resolved after the keep-firing period).</summary>
    private static List<int> Evaluate(double[] series, int perWeek, int warmup, AlertDefinition rule, bool hourly)
    {
        var firings = new List<int>();
        var firing = false;
        var clearSince = -1;
        var keep = (int)Math.Ceiling(rule.KeepFiringFor.TotalHours / (hourly ? 1 : 24));
        for (var t = warmup; t <= series.Length; t++)
        {
            var judged = AnomalyDetector.Judge(new ArraySegment<double>(series, 0, t), perWeek, rule.WindowBuckets, rule.Direction, rule.Sensitivity, rule.MinChangePercent, rule.MinVolume);
            var condition = judged?.Anomalous == true;
            if (condition && !firing)
            {
                firing = true;
                firings.Add(t - 1);
            }
            if (condition)
                clearSince = -1;
            else if (firing)
            {
                clearSince = clearSince < 0 ? t : clearSince;
                if (t - clearSince >= keep)
                    firing = false;
            }
        }
        return firings;
    }

    private static void DecayReport(int count, int seed)
    {
        var random = new Random(seed);
        var rule = new AlertDefinition { Kind = AlertKind.Decay, Subject = AlertSubject.Metric, DecayWeeks = 6, MinChangePercent = 20, MinVolume = 50 };
        int planted = 0, detected = 0, falseAlerts = 0;
        var cleanChecks = 0;
        for (var s = 0; s < count; s++)
        {
            var decays = s % 2 == 1;
            // A flow's weekly opens: a level, ±20 % a year of trend, noise; a decline of 25–40 % over six weeks from week 30.
            var level = 300 + random.NextDouble() * 3000;
            var trend = (random.NextDouble() - 0.5) * 0.4;
            var size = 0.25 + random.NextDouble() * 0.15;
            var weeks = Enumerable.Range(0, 52).Select(w =>
            {
                var mean = level * (1 + trend * w / 52);
                if (decays && w >= 30)
                    mean *= 1 - size * Math.Min(1, (w - 30 + 1) / 6.0);
                return Poisson(random, mean);
            }).ToArray();
            var fired = -1;
            for (var w = rule.DecayWeeks; w <= weeks.Length; w++)
            {
                if (AnomalyDetector.Decay(new ArraySegment<double>(weeks, 0, w), rule.DecayWeeks, rule.MinChangePercent, rule.MinVolume)?.Anomalous == true)
                {
                    if (decays && w - 1 >= 30)
                    {
                        fired = w - 1;
                        break;
                    }
                    if (!decays)
                        falseAlerts++;
                }
                if (!decays)
                    cleanChecks++;
            }
            if (decays)
            {
                planted++;
                detected += fired >= 0 && fired <= 30 + 8 ? 1 : 0;
            }
        }
        Console.WriteLine($"  slow decay (25–40 % over 6 weeks, weekly totals, 6-week Theil–Sen, min change 20 %): recall {Ratio(detected, planted)}, false alerts {falseAlerts} in {cleanChecks} weekly checks of clean series");
    }

    private static void Report(string name, Outcome o)
    {
        var recall = o.Planted == 0 ? 0 : (double)o.Detected / o.Planted;
        var perMonth = o.FalseAlerts / Math.Max(1, o.RuleMonths);
        var p95 = o.DelaysHours.Count == 0 ? double.NaN : o.DelaysHours.Order().ElementAt((int)Math.Ceiling(0.95 * o.DelaysHours.Count) - 1);
        var p50 = o.DelaysHours.Count == 0 ? double.NaN : o.DelaysHours.Order().ElementAt(o.DelaysHours.Count / 2);
        Console.WriteLine($"  {name}: recall {recall:0.000} for drops ≥ 30 % lasting ≥ 1 day ({o.Detected}/{o.Planted})   goal ≥ 0.9   {(recall >= 0.9 ? "met" : "NOT met")}");
        Console.WriteLine($"  {name}: false alerts {perMonth:0.000} per rule per month on clean series ({o.FalseAlerts} in {o.RuleMonths:0} rule-months)   goal ≤ 1   {(perMonth <= 1 ? "met" : "NOT met")}");
        Console.WriteLine($"  {name}: detection delay (planted start → FIRING) p50 {p50:0.0} h, p95 {p95:0.0} h; spikes fired (direction DROP: should be none) {o.SpikesFired}/{o.SpikesPlanted}");
    }

    private static string Ratio(int a, int b) => b == 0 ? "n/a" : $"{(double)a / b:0.000} ({a}/{b})";

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Knuth's method for small means, a rounded normal for large ones.</summary>
    private static double Poisson(Random random, double mean)
    {
        if (mean <= 0)
            return 0;
        if (mean > 50)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            return Math.Max(0, Math.Round(mean + Math.Sqrt(mean) * normal));
        }
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do
        {
            k++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }
}
