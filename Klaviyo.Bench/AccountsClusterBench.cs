using System.Diagnostics;
using System.Globalization;
using Klaviyo.Core.Accounts;
using Klaviyo.Core.Data;
using Klaviyo.Testing.Processes;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench accounts-cluster [accounts = 200] [instances = 3]</c>: connected accounts over several API
/// processes (Klaviyo.Server on one SQLite file and one redis-server, the product's lease: TTL 15 s,
/// renewal 3 s), small living sandbox accounts. Measured, beside the goals: how evenly the accounts
/// spread over the instances, how long the survivors take to lead every account of the instance with
/// the most after its SIGKILL, and afterwards, from every account's runs table, whether two runs ever
/// synced one entity of one account at once.
/// </summary>
public static class AccountsClusterBench
{
    private static readonly Dictionary<string, string?> InstanceSettings = new()
    {
        ["Security:RateLimits:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        // Shells started and stopped, leases handed over: what the log folder should say after a bad run.
        ["Logging:LogLevel:Klaviyo.Core.Accounts"] = "Information",
        ["Logging:LogLevel:Klaviyo.Core.Coordination"] = "Information",
    };

    private sealed record Lease(string AccountId, string? Holder, bool SyncedHere, long Epoch);

    public static async Task RunAsync(int accounts, int instances, Action<string, string, string> row)
    {
        var logs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"klaviyo-accounts-cluster-{DateTime.UtcNow:yyyyMMdd-HHmmss}")).FullName;
        Console.WriteLine($"Accounts over instances: {accounts} accounts, {instances} Klaviyo.Server processes, SQLite, redis-server, a standalone sandbox, {Environment.ProcessorCount} cores; logs in {logs}");
        row("figure", "measured", "goal");
        using var cluster = await ProcessCluster.StartAsync(new ProcessClusterOptions("Klaviyo.Server", instances, InstanceSettings, SandboxSettings(accounts), LogFolder: logs));

        var added = Stopwatch.StartNew();
        var ids = new List<string>();
        foreach (var name in AccountsBench.Names(accounts))
        {
            var account = await cluster.QueryAsync(ids.Count % instances, $"mutation {{ addAccount(input: {{ apiKey: \"pk_sandbox_local_{name.ToLowerInvariant()}\" }}) {{ id }} }}");
            ids.Add(account["addAccount"]!["id"]!.GetValue<string>());
        }
        var all = Enumerable.Range(0, instances).ToArray();
        var leaders = await SettleAsync(cluster, ids, all, TimeSpan.FromMinutes(10));
        row($"{accounts} accounts added, each led by one instance", $"{added.Elapsed.TotalSeconds:F1} s", "");
        Spread(leaders, all, row);
        for (var i = 0; i < instances; i++)
            row($"  {cluster.InstanceId(i)} working set", $"{cluster.WorkingSetOf(i) / 1_048_576:N0} MiB", "");

        // Let every account sync a while, then kill the instance leading the most.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var victim = leaders.Values.GroupBy(i => i).MaxBy(g => g.Count())!.Key;
        var epochs = (await LeasesAsync(cluster, victim))!.Where(l => l.SyncedHere && leaders.ContainsKey(l.AccountId)).ToDictionary(l => l.AccountId, l => l.Epoch);
        var killedAt = DateTime.UtcNow;
        cluster.Kill(victim);
        var killed = Stopwatch.StartNew();
        var survivors = all.Where(i => i != victim).ToArray();
        var after = await SettleAsync(cluster, ids, survivors, TimeSpan.FromMinutes(2));
        row($"takeover of {epochs.Count} accounts after a SIGKILL", $"{killed.Elapsed.TotalSeconds:F1} s", "<= 17 s");
        Spread(after, survivors, row);

        // The survivors sync what they took over before the runs are read.
        await Task.Delay(TimeSpan.FromSeconds(20));
        for (var i = 0; i < instances; i++)
            cluster.Kill(i);
        var (overlaps, runs) = (0, 0);
        foreach (var id in ids)
        {
            var store = AccountStores.ConnectionString(DatabaseProvider.Sqlite, $"Data Source={cluster.DatabasePath}", new ConnectedAccount { Id = id, Name = id }.Store);
            await using var db = SqliteFile.Open(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store).DataSource);
            var stored = await db.SyncRuns.AsNoTracking().ToListAsync();
            runs += stored.Count;
            // A run of the killed holder's epoch ended at the kill, whatever the taker's recovery wrote.
            overlaps += RunOverlaps.Count(stored, r => epochs.TryGetValue(id, out var epoch) && r.Epoch == epoch ? killedAt : null);
        }
        row("duplicate runs (one account's entity synced twice at once)", $"{overlaps} of {runs:N0} runs", "0");
    }

    /// <summary>Small living accounts: a day of history, an event every few seconds each.</summary>
    private static Dictionary<string, string?> SandboxSettings(int accounts)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:HistoryDays"] = "1",
            ["Sandbox:EventsPerDay"] = "200",
            ["Sandbox:Profiles"] = "20",
            ["Sandbox:Campaigns"] = "2",
            ["Sandbox:Flows"] = "1",
            ["Sandbox:LiveEventInterval"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var name in AccountsBench.Names(accounts))
            settings[$"Sandbox:Accounts:{name}:Currency"] = "USD";
        return settings;
    }

    private static void Spread(Dictionary<string, int> leaders, int[] instances, Action<string, string, string> row)
    {
        var even = (double)leaders.Count / instances.Length;
        var counts = instances.Select(i => leaders.Values.Count(l => l == i)).ToArray();
        var furthest = counts.Max(c => Math.Abs(c - even)) / even;
        row($"  accounts per instance ({instances.Length} live)", string.Join(" / ", counts), $"±20 % of {even:F0}");
        row("  furthest from even", $"{furthest:P0}", "<= 20 %");
    }

    /// <summary>Waits until every account is led by exactly one of <paramref name="instances"/>, which all name it; returns who leads each.</summary>
    private static async Task<Dictionary<string, int>> SettleAsync(ProcessCluster cluster, IReadOnlyList<string> ids, int[] instances, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await SettledAsync(cluster, ids, instances) is { } leaders)
                return leaders;
            if (waited.Elapsed > timeout)
                throw new TimeoutException($"The accounts were not each led by one of instances {string.Join(", ", instances)} within {timeout.TotalSeconds:F0} s.");
            await Task.Delay(100);
        }
    }

    private static async Task<Dictionary<string, int>?> SettledAsync(ProcessCluster cluster, IReadOnlyList<string> ids, int[] instances)
    {
        var views = new List<(int Instance, Dictionary<string, Lease> Leases)>();
        foreach (var i in instances)
        {
            if (await LeasesAsync(cluster, i) is not { } leases)
                return null;
            views.Add((i, leases.ToDictionary(l => l.AccountId)));
        }
        var leaders = new Dictionary<string, int>();
        foreach (var id in ids)
        {
            var leading = views.Where(v => v.Leases.GetValueOrDefault(id)?.SyncedHere == true).Select(v => v.Instance).ToArray();
            if (leading is not [var leader] || views.Any(v => v.Leases.GetValueOrDefault(id)?.Holder != cluster.InstanceId(leader)))
                return null;
            leaders[id] = leader;
        }
        return leaders;
    }

    /// <summary>The account leases as instance <paramref name="i"/> last read them; null when it does not answer.</summary>
    private static async Task<IReadOnlyList<Lease>?> LeasesAsync(ProcessCluster cluster, int i)
    {
        if (!cluster.IsRunning(i))
            return null;
        try
        {
            var leases = (await cluster.QueryAsync(i, "{ diagnostics { instance { accountLeases { accountId holder syncedHere epoch } } } }"))["diagnostics"]!["instance"]!["accountLeases"]!.AsArray();
            return [.. leases.Select(l => new Lease(l!["accountId"]!.GetValue<string>(), l["holder"]?.GetValue<string>(), l["syncedHere"]!.GetValue<bool>(),
                long.Parse(l["epoch"]!.ToString(), CultureInfo.InvariantCulture)))];
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            return null;
        }
    }
}
