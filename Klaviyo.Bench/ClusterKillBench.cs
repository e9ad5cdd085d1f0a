using System.Diagnostics;
using System.Globalization;
using Klaviyo.Core.Data;
using Klaviyo.Testing.Faults;
using Klaviyo.Testing.Processes;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// Three API processes (Klaviyo.GraphQL) on one SQLite file and one redis-server, syncing from one
/// standalone sandbox with the product's lease (TTL 15 s, renewal 3 s) and a busy schedule; for
/// <c>minutes</c> an instance is SIGKILLed at random (the leader two times in three) and started
/// again a few seconds later. Measured: the takeover after each leader's kill, and afterwards, from
/// the runs table, whether two runs ever synced one entity at once (a killed leader's run ends at its
/// kill), plus what the kills cost in events (lost, duplicated, rollups).
/// </summary>
public static class ClusterKillBench
{
    private const int Instances = 3;

    private static readonly Dictionary<string, string?> SandboxSettings = new()
    {
        ["Sandbox:HistoryDays"] = "1",
        ["Sandbox:EventsPerDay"] = "3000",
        ["Sandbox:Profiles"] = "200",
        ["Sandbox:Campaigns"] = "6",
        ["Sandbox:Flows"] = "3",
        ["Sandbox:LiveEventInterval"] = "00:00:00.200",
        ["Sandbox:LiveProfileInterval"] = "00:00:05",
        ["Sandbox:LiveCampaignInterval"] = "00:01:00",
        // Late events are collected by the 10-minute sweep, not by the next run: counted against a run they would
        // look lost (as in the fault suite, which sets the same).
        ["Sandbox:LateEventShare"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private static readonly Dictionary<string, string?> InstanceSettings = new()
    {
        ["Sync:Intervals:Events"] = "00:00:01",
        ["Sync:Intervals:Profiles"] = "00:00:05",
        ["Sync:RetryAfterFailure"] = "00:00:02",
        ["Security:RateLimits:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private sealed record Kill(int Instance, DateTime At, long? Epoch, TimeSpan? Takeover);

    public static async Task RunAsync(TimeSpan duration, Action<string, string, string> row)
    {
        using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions("Klaviyo.Server", Instances, InstanceSettings, SandboxSettings));
        var random = new Random(13);
        var kills = new List<Kill>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await Task.Delay(TimeSpan.FromSeconds(random.Next(10, 40)));
            var leader = await cluster.LeaderAsync(TimeSpan.FromSeconds(30));
            var victim = leader is { } l && random.Next(3) < 2 ? l : random.Next(Instances);
            long? epoch = null;
            if (victim == leader)
                epoch = (await cluster.QueryAsync(victim, "{ diagnostics { instance { epoch } } }"))["diagnostics"]!["instance"]!["epoch"]!.GetValue<long>();
            var at = DateTime.UtcNow;
            cluster.Kill(victim);
            var killed = Stopwatch.StartNew();
            TimeSpan? takeover = null;
            if (victim == leader)
            {
                while (killed.Elapsed < TimeSpan.FromSeconds(60) && takeover is null)
                {
                    if (await cluster.LeaderAsync(TimeSpan.Zero) is not null)
                        takeover = killed.Elapsed;
                    else
                        await Task.Delay(50);
                }
            }
            kills.Add(new Kill(victim, at, epoch, takeover));
            await Task.Delay(TimeSpan.FromSeconds(random.Next(2, 10)));
            await cluster.StartInstanceAsync(victim);
        }
        // Let the last leader finish a run over everything the kills interrupted.
        var settled = DateTime.UtcNow;
        await WaitForEventsRunAsync(cluster.DatabasePath, settled, TimeSpan.FromMinutes(2));
        for (var i = 0; i < Instances; i++)
            cluster.Kill(i);

        await using var db = SqliteFile.Open(cluster.DatabasePath);
        var runs = await db.SyncRuns.AsNoTracking().ToListAsync();
        var killedAt = kills.Where(k => k.Epoch is not null).ToDictionary(k => k.Epoch!.Value, k => k.At);
        var overlaps = RunOverlaps.Count(runs, r => killedAt.TryGetValue(r.Epoch, out var k) ? k : (DateTime?)null);
        var lastRun = await db.SyncRuns.AsNoTracking().Where(r => r.Entities.Contains("Events") && r.Outcome == SyncRunOutcome.Succeeded)
            .OrderByDescending(r => r.StartedAt).FirstAsync();
        var account = SandboxReplica.Of(SandboxSettings, cluster.SandboxAnchor);
        var integrity = await Integrity.CheckAsync(db, account, lastRun.StartedAt - TimeSpan.FromSeconds(1), lastRun.FinishedAt!.Value);
        if (integrity.Lost > 0)
        {
            // Where the missing events arrived, against the kills: says whether a kill or the boundary lost them.
            var stored = (await db.Events.AsNoTracking().Select(e => e.Id).ToListAsync()).ToHashSet();
            var missing = Enumerable.Range(0, (int)account.EventCountAt(lastRun.StartedAt - TimeSpan.FromSeconds(1)))
                .Where(i => !stored.Contains(account.Event(i).Id)).Select(i => account.ArrivalOf(i)).ToList();
            Console.WriteLine($"  missing events arrived {missing.Min():HH:mm:ss.fff}–{missing.Max():HH:mm:ss.fff}; last run {lastRun.StartedAt:HH:mm:ss.fff}; kills at {string.Join(", ", kills.Select(k => $"{k.At:HH:mm:ss.fff}"))}");
        }

        var takeovers = kills.Where(k => k.Takeover is not null).Select(k => k.Takeover!.Value.TotalSeconds).Order().ToArray();
        var leaderKills = kills.Count(k => k.Epoch is not null);
        row($"random SIGKILLs over {duration.TotalMinutes:F0} min (3 processes)", $"{kills.Count} kills, {leaderKills} of leaders", "");
        row("  takeover after a leader's SIGKILL", takeovers.Length == 0 ? "—" : $"p50 {LoadGenerator.Percentile(takeovers, 0.5):F1} / max {takeovers[^1]:F1} s", "<= 17 s");
        row("  leader kills never taken over", (leaderKills - takeovers.Length).ToString(CultureInfo.InvariantCulture), "0");
        row("  duplicate runs (one entity synced twice at once)", $"{overlaps} of {runs.Count} runs", "0");
        row("  events lost / duplicated, rollups", $"{integrity.Lost} / {integrity.Duplicated}, {(integrity.RollupsEqual ? "equal" : "differ")}", "0 / 0, equal");
    }

    private static async Task WaitForEventsRunAsync(string path, DateTime since, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            await using var db = SqliteFile.Open(path);
            if (await db.SyncRuns.AsNoTracking().AnyAsync(r => r.Entities.Contains("Events") && r.Outcome == SyncRunOutcome.Succeeded && r.StartedAt > since))
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("No events run succeeded after the last kill.");
    }
}
