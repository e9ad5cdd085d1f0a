using System.Diagnostics;
using Klaviyo.Core.Data;
using Klaviyo.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Testing.Faults;

/// <summary>
/// The API as its own process (Klaviyo.GraphQL), killed with SIGKILL while the first events sync is
/// between pages, then started again on the same database: the next runs must end with every event
/// stored once and rollups equal to the events.
/// </summary>
public sealed class KillRestartScenario(FaultSuiteOptions options)
{
    public async Task<FaultRow> RunAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-kill-{Guid.NewGuid():N}.db");
        var settings = new Dictionary<string, string?>(options.Settings())
        {
            ["ConnectionStrings:Klaviyo"] = $"Data Source={path}",
            ["Sandbox:Faults:LatencyMs"] = "40", // pages take a while: the kill lands mid-sync
        };
        try
        {
            var shown = new FaultSuite.Shown();
            var port = ServiceProcess.FreePort();
            using (var first = ServiceProcess.Start("Klaviyo.Server", port, settings))
            {
                var stored = await WaitAsync(() => CountEventsAsync(path), n => n >= 1000, TimeSpan.FromMinutes(2));
                first.Kill(); // SIGKILL: no shutdown, no finally blocks, a page may be half fetched or half written
                shown.Add($"killed at {stored} events stored");
            }

            var restarted = DateTime.UtcNow;
            var recovery = Stopwatch.StartNew();
            using var second = ServiceProcess.Start("Klaviyo.Server", port, settings);
            using var probe = new ApiProbe(new Uri($"http://127.0.0.1:{port}/"));
            TimeSpan? recovered = null;
            while (recovery.Elapsed < options.RecoverWithin)
            {
                var now = await probe.ShownAsync();
                shown.Add(now);
                if (ApiProbe.IsNormal(now) && await EventsRunSucceededSinceAsync(path, restarted))
                {
                    recovered = recovery.Elapsed;
                    break;
                }
                await Task.Delay(200);
            }
            second.Kill();

            // The truth: the same sandbox account (its timeline is anchored beside the database).
            var account = SandboxReplica.Of(settings, path + ".sandbox.json"); // the app keeps the anchor beside its database
            await using var db = SqliteFile.Open(path);
            var lastRun = await db.SyncRuns.AsNoTracking().Where(r => r.Entities.Contains("Events") && r.Outcome == SyncRunOutcome.Succeeded)
                .OrderByDescending(r => r.StartedAt).FirstAsync();
            var integrity = await Integrity.CheckAsync(db, account, lastRun.StartedAt - TimeSpan.FromSeconds(1), lastRun.FinishedAt!.Value);
            return new FaultRow("SIGKILL mid-page", shown.Values, integrity, recovered, probe.ServerErrors, recovered is null ? "not recovered" : null);
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    private static async Task<long> CountEventsAsync(string path)
    {
        if (!File.Exists(path))
            return 0;
        try
        {
            await using var db = SqliteFile.Open(path);
            return await db.Events.LongCountAsync();
        }
        catch (SqliteException)
        {
            return 0; // not migrated yet
        }
    }

    // The run's record, not the entity's state: a run records its outcome after all its entities, so
    // Events can be synced while the run holding it (and the window the integrity check reads) is not finished.
    private static async Task<bool> EventsRunSucceededSinceAsync(string path, DateTime since)
    {
        try
        {
            await using var db = SqliteFile.Open(path);
            return await db.SyncRuns.AsNoTracking()
                .AnyAsync(r => r.Entities.Contains("Events") && r.Outcome == SyncRunOutcome.Succeeded && r.FinishedAt > since);
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private static async Task<long> WaitAsync(Func<Task<long>> read, Func<long, bool> until, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (until(value))
                return value;
            if (waited.Elapsed > within)
                throw new TimeoutException($"Waited {within.TotalSeconds:F0} s; last value {value}.");
            await Task.Delay(20);
        }
    }
}
