using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Klaviyo.Testing.Processes;

namespace Klaviyo.Bench;

/// <summary>
/// <c>./bench portfolio-page [accounts = 50] [events each = 100000] [seconds = 20]</c>: the dashboard as it is
/// deployed (a Klaviyo.Web process, Production, its sandbox inside) with that many connected accounts
/// living (an event a second each, so their caches are evicted all the time). Measured: the time to
/// the whole <c>/portfolio</c> page, which the server renders with every row before it sends it (what
/// a browser paints first, with the stylesheets it has cached), while one viewer reloads it.
/// </summary>
public static partial class PortfolioPageBench
{
    private const string SandboxKey = "pk_sandbox_bench";

    public static async Task RunAsync(int accounts, int eventsEach, int seconds, Action<string, string, string> row)
    {
        Console.WriteLine($"Portfolio page: {accounts} accounts of {eventsEach:N0} events (an event a second each) and the sandbox's own, one Klaviyo.Web process, SQLite, {Environment.ProcessorCount} cores");
        row("figure", "measured", "goal");
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"klaviyo-page-{Guid.NewGuid():N}")).FullName;
        try
        {
            using var web = ServiceProcess.Start("Klaviyo.Web", ServiceProcess.FreePort(), Settings(accounts, eventsEach, Path.Combine(folder, "klaviyo.db")));
            await web.WaitUntilAnswersAsync("/health/live", TimeSpan.FromSeconds(120));
            using var http = new HttpClient { BaseAddress = web.Address, Timeout = TimeSpan.FromSeconds(60) };

            var loading = Stopwatch.StartNew();
            foreach (var name in AccountsBench.Names(accounts))
                await QueryAsync(http, $"mutation {{ addAccount(input: {{ apiKey: \"{SandboxKey}_{name.ToLowerInvariant()}\" }}) {{ id }} }}");
            while (await UnknownRevenueAsync(http) is var unknown && unknown > 0)
            {
                if (loading.Elapsed > TimeSpan.FromMinutes(30))
                    throw new TimeoutException($"{unknown} accounts had no revenue after 30 min.");
                await Task.Delay(1000);
            }
            row($"{accounts} accounts added and their events synced", $"{loading.Elapsed.TotalSeconds:F0} s", "");

            var first = Stopwatch.StartNew();
            var html = await http.GetStringAsync("portfolio");
            first.Stop();
            var rows = AccountCell().Count(html);
            if (rows != accounts + 1)
                throw new InvalidOperationException($"/portfolio was sent with {rows} rows, not {accounts + 1}: {html[..Math.Min(html.Length, 2000)]}");
            row($"/portfolio with {rows} rows: first request", $"{first.Elapsed.TotalMilliseconds:F0} ms", "");
            var page = await LoadGenerator.RunAsync(web.Address, LoadGenerator.Get("/portfolio"), 1, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(seconds));
            row("  page with every row: p50 / p95", $"{page.P50Ms:F0} / {page.P95Ms:F0} ms", "p95 <= 2000 ms");
            row("  Klaviyo.Web working set", $"{web.WorkingSet / 1_048_576:N0} MiB", "");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [GeneratedRegex("data-testid=\"portfolio-account\"")]
    private static partial Regex AccountCell();

    /// <summary><see cref="AccountsBench"/>'s accounts, in a Klaviyo.Web process of its own.</summary>
    private static Dictionary<string, string?> Settings(int accounts, int eventsEach, string database) =>
        new(AccountsBench.Settings(accounts, eventsEach, firstSyncEvents: eventsEach))
        {
            ["ConnectionStrings:Klaviyo"] = $"Data Source={database}",
            // Hosted with no key configured, the sandbox's is random: a known one gives its accounts known keys (the key, "_", the name).
            ["Sandbox:ApiKey"] = SandboxKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };

    /// <summary>Rows of the portfolio whose revenue is not known yet (their first events sync is under way).</summary>
    private static async Task<int> UnknownRevenueAsync(HttpClient http)
    {
        var rows = (await QueryAsync(http, "{ portfolio(range: { preset: LAST_30_DAYS }) { rows { revenue { value } } } }"))["portfolio"]!["rows"]!.AsArray();
        return rows.Count(r => r!["revenue"]!["value"] is null);
    }

    private static async Task<JsonNode> QueryAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("graphql", new { query });
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (json["errors"] is JsonArray errors)
            throw new InvalidOperationException($"Klaviyo.Web answered errors: {errors.ToJsonString()}");
        return json["data"]!;
    }
}
