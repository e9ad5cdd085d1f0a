using System.Diagnostics;
using Klaviyo.Core.Data;
using Klaviyo.Core.Reports;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Testing.Faults;

/// <summary>
/// Each fault against a fresh app over a living sandbox account: the app syncs, the fault starts,
/// what the dashboard shows is sampled, the fault ends, and the row says how long until answers
/// were normal again and whether any event was lost, duplicated or mis-rolled-up.
/// </summary>
public sealed class FaultSuite(FaultSuiteOptions options)
{
    public static readonly string[] Scenarios =
        ["429 storm", "5xx bursts", "long outage", "malformed JSON", "key revoked mid-run", "report budget spent", "database unreachable", "SIGKILL mid-page"];

    private static readonly SyncEntity[] Core = [SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Profiles, SyncEntity.Events];

    public Task<FaultRow> RunAsync(string scenario) => scenario switch
    {
        "429 storm" => KlaviyoFaultAsync(scenario, new SandboxFaults { ForceThrottle = true, ThrottleRetryAfterSeconds = 1 }, options.FaultFor),
        "5xx bursts" => KlaviyoFaultAsync(scenario, new SandboxFaults { ErrorRate = 0.6 }, options.FaultFor),
        "long outage" => KlaviyoFaultAsync(scenario, new SandboxFaults { Outage = true }, options.OutageFor),
        "malformed JSON" => KlaviyoFaultAsync(scenario, new SandboxFaults { MalformedJson = true }, options.FaultFor),
        "key revoked mid-run" => HostScenarioAsync(scenario, RevokeKeyMidRunAsync, host => host.SetFaults(new SandboxFaults()), options.FaultFor),
        "report budget spent" => HostScenarioAsync(scenario, SpendReportBudgetAsync, _ => { }, options.FaultFor, recovers: false),
        "database unreachable" => HostScenarioAsync(scenario, host => SetDatabase(host, down: true), host => SetDatabase(host, down: false), options.DatabaseDownFor),
        "SIGKILL mid-page" => new KillRestartScenario(options).RunAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "Not a fault of the suite."),
    };

    private Task<FaultRow> KlaviyoFaultAsync(string name, SandboxFaults faults, TimeSpan duration) =>
        HostScenarioAsync(name, host => { host.SetFaults(faults); return Task.CompletedTask; }, host => host.SetFaults(new SandboxFaults()), duration);

    private static Task SetDatabase(FaultHost host, bool down)
    {
        host.Database.Down = down;
        return Task.CompletedTask;
    }

    private async Task<FaultRow> HostScenarioAsync(string name, Func<FaultHost, Task> apply, Action<FaultHost> clear, TimeSpan duration, bool recovers = true)
    {
        var path = Path.Combine(Path.GetTempPath(), $"klaviyo-faults-{Guid.NewGuid():N}.db");
        try
        {
            await using var host = await FaultHost.StartAsync(options.Settings(), path);
            using var probe = new ApiProbe(host.Address);
            await WaitForCoreSyncAsync(host, DateTime.MinValue, options.RecoverWithin);
            var shown = new Shown();
            shown.Add(await probe.ShownAsync());

            await apply(host);
            var faultEnds = Stopwatch.StartNew();
            while (faultEnds.Elapsed < duration)
            {
                shown.Add(await probe.ShownAsync());
                await Task.Delay(200);
            }
            clear(host);
            var cleared = DateTime.UtcNow;
            var recovery = Stopwatch.StartNew();
            TimeSpan? recovered = null, sections = null;
            while (recovers && recovery.Elapsed < options.RecoverWithin)
            {
                var now = await probe.ShownAsync();
                shown.Add(now);
                if (sections is null && !now.Contains("FALLBACK", StringComparison.Ordinal) && !now.StartsWith("error", StringComparison.Ordinal))
                    sections = recovery.Elapsed;
                if (ApiProbe.IsNormal(now) && await EventsSyncedSinceAsync(host, cleared))
                {
                    recovered = recovery.Elapsed;
                    break;
                }
                await Task.Delay(100);
            }
            var integrity = await FinalCheckAsync(host);
            return new FaultRow(name, shown.Values, integrity, recovered, probe.ServerErrors,
                recovers ? recovered is null ? "not recovered" : null : $"at {ReportBudget.RenewsAt(DateTime.UtcNow):HH:mm} UTC", sections);
        }
        finally
        {
            FaultHost.DeleteDatabase(path);
        }
    }

    /// <summary>A full events sync is going (its first page is committed) when Klaviyo starts refusing the key.</summary>
    private static async Task RevokeKeyMidRunAsync(FaultHost host)
    {
        host.SetFaults(new SandboxFaults { LatencyMs = 50 });
        var firstPage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = host.Service<EventBus>().Observe<SyncProgressEvent>().Subscribe(p =>
        {
            if (p is { Entity: SyncEntity.Events, Pages: >= 1 })
                firstPage.TrySetResult();
        });
        await host.Service<SyncCoordinator>().StartAsync([SyncEntity.Events], SyncMode.Full, "MANUAL", CancellationToken.None);
        await firstPage.Task.WaitAsync(TimeSpan.FromSeconds(30));
        host.SetFaults(new SandboxFaults { InvalidKey = true });
    }

    /// <summary>Every report call of the day is spent; then the campaign reports are asked for.</summary>
    private static async Task SpendReportBudgetAsync(FaultHost host)
    {
        var budget = host.Service<ReportBudget>();
        while (await budget.TrySpendAsync(CancellationToken.None))
        {
        }
        // A run of our own (one already going may have made its calls before the budget was gone).
        var coordinator = host.Service<SyncCoordinator>();
        while (true)
        {
            var started = await coordinator.StartAndWaitAsync([SyncEntity.CampaignReports], trigger: "MANUAL");
            if (started.Run is not null)
                return;
        }
    }

    /// <summary>Waits for the entities the overview reads to have synced after <paramref name="since"/>.</summary>
    public static async Task WaitForCoreSyncAsync(FaultHost host, DateTime since, TimeSpan within)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            await using (var db = await host.DbAsync())
            {
                var synced = await db.SyncStates.AsNoTracking().Where(s => Core.Contains(s.Entity) && s.LastSuccessAt > since).CountAsync();
                if (synced == Core.Length)
                    return;
            }
            if (waited.Elapsed > within)
                throw new TimeoutException($"The app had not synced {string.Join(", ", Core)} within {within.TotalSeconds:F0} s.");
            await Task.Delay(100);
        }
    }

    private static async Task<bool> EventsSyncedSinceAsync(FaultHost host, DateTime since)
    {
        try
        {
            await using var db = await host.DbAsync();
            return await db.SyncStates.AsNoTracking().AnyAsync(s => s.Entity == SyncEntity.Events && s.LastSuccessAt > since);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }

    /// <summary>One more events run of our own (joining and outwaiting any going), then the database against the account.</summary>
    public static async Task<Integrity> FinalCheckAsync(FaultHost host)
    {
        var coordinator = host.Service<SyncCoordinator>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if ((await coordinator.StartAndWaitAsync([SyncEntity.Events], trigger: "MANUAL")).Run is not { } run)
                continue;
            await using var db = await host.DbAsync();
            var finished = await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (finished.Outcome != SyncRunOutcome.Succeeded)
                continue;
            // Received a second before the run started (datetimes are whole seconds): the run must have read it.
            return await Integrity.CheckAsync(db, host.Service<SandboxAccount>(), finished.StartedAt - TimeSpan.FromSeconds(1), finished.FinishedAt!.Value);
        }
        throw new InvalidOperationException("No events run succeeded after the fault.");
    }

    /// <summary>The distinct things shown, in the order first seen.</summary>
    public sealed class Shown
    {
        private readonly List<string> _values = [];

        public IReadOnlyList<string> Values => _values;

        public void Add(string shown)
        {
            if (!_values.Contains(shown))
                _values.Add(shown);
        }
    }
}
