using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Sandbox;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Klaviyo.Bench.Faults;

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
            var port = FreePort();
            using (var first = Start(settings, port))
            {
                var stored = await WaitAsync(() => CountEventsAsync(path), n => n >= 1000, TimeSpan.FromMinutes(2));
                first.Kill(); // SIGKILL: no shutdown, no finally blocks, a page may be half fetched or half written
                await first.WaitForExitAsync();
                shown.Add($"killed at {stored} events stored");
            }

            var restarted = DateTime.UtcNow;
            var recovery = Stopwatch.StartNew();
            using var second = Start(settings, port);
            using var probe = new ApiProbe(new Uri($"http://127.0.0.1:{port}/"));
            TimeSpan? recovered = null;
            while (recovery.Elapsed < options.RecoverWithin)
            {
                var now = await probe.ShownAsync();
                shown.Add(now);
                if (ApiProbe.IsNormal(now) && await EventsSyncedSinceAsync(path, restarted))
                {
                    recovered = recovery.Elapsed;
                    break;
                }
                await Task.Delay(200);
            }
            second.Kill();
            await second.WaitForExitAsync();

            // The truth: the same sandbox account (its timeline is anchored beside the database).
            var account = Account(settings);
            await using var db = Context(path);
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

    private static Process Start(IReadOnlyDictionary<string, string?> settings, int port)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(GraphQLAssembly());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            if (value is not null)
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Klaviyo.GraphQL did not start.");
        // Drained so a full pipe never blocks the process.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Klaviyo.GraphQL.dll as built beside this assembly's project, in the same configuration.</summary>
    private static string GraphQLAssembly()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Klaviyo.sln")))
                return Path.Combine(folder.FullName, "Klaviyo.GraphQL", "bin", configuration, "net10.0", "Klaviyo.GraphQL.dll");
        }
        throw new FileNotFoundException("Klaviyo.sln was not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static KlaviyoDbContext Context(string path) =>
        new SqliteKlaviyoDbContext(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={path}").Options);

    private static async Task<long> CountEventsAsync(string path)
    {
        if (!File.Exists(path))
            return 0;
        try
        {
            await using var db = Context(path);
            return await db.Events.LongCountAsync();
        }
        catch (SqliteException)
        {
            return 0; // not migrated yet
        }
    }

    private static async Task<bool> EventsSyncedSinceAsync(string path, DateTime since)
    {
        try
        {
            await using var db = Context(path);
            return await db.SyncStates.AsNoTracking().AnyAsync(s => s.Entity == SyncEntity.Events && s.LastSuccessAt > since);
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

    private static SandboxAccount Account(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddKlaviyoSandbox();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder.Build().Services.GetRequiredService<SandboxAccount>();
    }
}
