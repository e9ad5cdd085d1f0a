namespace Klaviyo.Bench;

/// <summary>
/// The executed path alone — <c>campaigns(first: 50)</c> (or the 30-day overview) in a body never sent
/// before, so the response cache misses and the payloads come from the field cache — for as long as a profiler needs.
/// </summary>
public static class ExecutedPathBench
{
    public const string CampaignsQuery = "{ campaigns(first: 50) { nodes { id name status sendTime subject delivered openRate clickRate conversionRate revenue } pageInfo { hasNextPage endCursor } totalCount lastUpdated dataSource } }";

    public static async Task RunAsync(int seconds, int connections, string scenario)
    {
        await using var bench = await BenchApp.StartAsync();
        await using (var db = await bench.ContextAsync())
            await BenchData.SeedAsync(db, DateTime.UtcNow);
        var body = scenario == "overview" ? DashboardQueries.Overview() : System.Text.Json.JsonSerializer.Serialize(new { query = CampaignsQuery });
        var result = await LoadGenerator.RunAsync(bench.Address, LoadGenerator.ExecutedGraphQLPost(body), connections, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"{(scenario == "overview" ? "overview(30 days)" : "campaigns(first: 50)")}, executed: {result.PerSecond:F0} req/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms over {connections} connections, {result.AllocatedPerRequest / 1024.0:F1} KiB allocated per request");
        var lists = bench.Service<Klaviyo.GraphQL.Execution.ListJsonCache>();
        Console.WriteLine($"lists written from kept JSON {lists.Served}, kept {lists.Kept}; validations served kept {bench.Service<Klaviyo.GraphQL.Execution.KeptValidator>().Served}");
    }
}
