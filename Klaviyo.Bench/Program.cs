using System.Globalization;
using System.Text.Json;
using Klaviyo.Bench;
using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.GraphQL;
using Microsoft.EntityFrameworkCore;

// GraphQL throughput and latency against a minimal-API endpoint serving the very same bytes,
// side by side in one run, over loopback. Usage: ./bench [seconds per scenario] [connections]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var database = Path.Combine(Path.GetTempPath(), $"klaviyo-bench-{Guid.NewGuid():N}.db");

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Configuration["ConnectionStrings:Klaviyo"] = $"Data Source={database}";
builder.AddKlaviyoDatabase();
builder.AddKlaviyoGraphQL();
var app = builder.Build();
app.MapKlaviyoGraphQL();
var baselines = new Dictionary<string, byte[]>();
app.MapGet("/baseline/{name}", (string name) => Results.Bytes(baselines[name], "application/json; charset=utf-8"));

await app.StartAsync();
try
{
    await using (var db = await app.Services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync())
        await BenchData.SeedAsync(db, DateTime.UtcNow);
    var address = new Uri(app.Urls.First());
    var end = DateTime.UtcNow.Date.AddDays(1);
    var scenarios = new Dictionary<string, string>
    {
        ["campaigns(first: 50)"] = JsonSerializer.Serialize(new { query = "{ campaigns(first: 50) { nodes { id name status sendTime subject delivered openRate clickRate conversionRate revenue } pageInfo { hasNextPage endCursor } totalCount lastUpdated dataSource } }" }),
        ["overview(30 days)"] = JsonSerializer.Serialize(new
        {
            query = "query($range: DateRangeInput!) { overview(range: $range) { totalRevenue { value changePercent } orders { value changePercent } activeSubscribers { value changePercent } formSubmissions { value changePercent } openRate { value changePercent } clickRate { value changePercent } conversionRate { value changePercent } revenuePerRecipient { value changePercent } revenueSeries { start campaign flow form other total } lastUpdated dataSource } }",
            variables = new { range = new { start = end.AddDays(-30), end } },
        }),
    };

    Console.WriteLine($"Klaviyo GraphQL benchmark: {connections} connections, {seconds} s per run after a {Math.Max(2, seconds / 5)} s warm-up, loopback, {Environment.ProcessorCount} cores");
    Console.WriteLine($"{"scenario",-22} {"endpoint",-10} {"req/s",10} {"p50 ms",8} {"p99 ms",8}  ratio");
    using var probe = new HttpClient { BaseAddress = address };
    foreach (var (name, body) in scenarios)
    {
        using var first = await probe.SendAsync(LoadGenerator.GraphQLPost(body)());
        baselines[name] = await first.Content.ReadAsByteArrayAsync();
        var warmup = TimeSpan.FromSeconds(Math.Max(2, seconds / 5));
        var graphql = await LoadGenerator.RunAsync(address, LoadGenerator.GraphQLPost(body), connections, warmup, TimeSpan.FromSeconds(seconds));
        var baseline = await LoadGenerator.RunAsync(address, LoadGenerator.Get("/baseline/" + Uri.EscapeDataString(name)), connections, warmup, TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"{name,-22} {"graphql",-10} {graphql.PerSecond,10:F0} {graphql.P50Ms,8:F2} {graphql.P99Ms,8:F2}  {graphql.PerSecond / baseline.PerSecond:F3} of baseline");
        Console.WriteLine($"{"",-22} {"baseline",-10} {baseline.PerSecond,10:F0} {baseline.P50Ms,8:F2} {baseline.P99Ms,8:F2}  ({baselines[name].Length} bytes)");
    }
}
finally
{
    await app.StopAsync();
    foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        File.Delete(file);
}
