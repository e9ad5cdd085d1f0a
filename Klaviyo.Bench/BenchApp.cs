using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.Sandbox;
using Klaviyo.Server;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Bench;

/// <summary>
/// The product's API as every host composes it (<c>AddKlaviyoApi</c>: a bench cannot miss a service the
/// app has), on a loopback port over its own SQLite file, with the schedule and the sandbox off, plus
/// the baseline endpoint.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, byte[]> _baselines = [];

    private BenchApp(WebApplication app, string databasePath) => (_app, DatabasePath) = (app, databasePath);

    public string DatabasePath { get; }
    public string ConnectionString => $"Data Source={DatabasePath}";
    public Uri Address => new(_app.Urls.First());

    /// <param name="configure">Settings on top of the bench's own (e.g. socket limits for many simulated dashboards).</param>
    public static async Task<BenchApp> StartAsync(IReadOnlyDictionary<string, string?>? configure = null)
    {
        var database = Path.Combine(Path.GetTempPath(), $"klaviyo-bench-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["ConnectionStrings:Klaviyo"] = $"Data Source={database}";
        builder.Configuration["Sync:Enabled"] = "false"; // the bench seeds the database itself
        builder.Configuration["Sandbox:Enabled"] = "false";
        builder.Configuration["Security:RateLimits:Enabled"] = "false"; // one client on purpose sends thousands a second
        if (configure is not null)
            builder.Configuration.AddInMemoryCollection(configure);
        builder.Services.AddSingleton<QueryProfile>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(sp => sp.GetRequiredService<QueryProfile>());
        builder.AddKlaviyoApi();
        var app = builder.Build();
        app.UseKlaviyoSecurity();
        app.MapKlaviyoApi();
        var bench = new BenchApp(app, database);
        // The baseline receives the same POST (and reads its body, as any endpoint must) and answers with the same bytes.
        app.MapPost("/baseline/{name}", async (string name, HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Bytes(bench._baselines[name], "application/json; charset=utf-8");
        });
        await app.StartAsync();
        return bench;
    }

    /// <summary>The sandbox's Benchmark account (5 million events over 90 days), optionally smaller for a quick run.</summary>
    public static SandboxAccount BenchmarkSandbox(long events)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Sandbox:Size"] = "Benchmark";
        builder.AddKlaviyoSandbox();
        builder.Services.AddSingleton(TimeProvider.System);
        if (events != 5_000_000)
            builder.Services.PostConfigure<SandboxOptions>(o => o.EventsPerDay = (int)(events / o.HistoryDays));
        return builder.Build().Services.GetRequiredService<SandboxAccount>();
    }

    public Task<KlaviyoDbContext> ContextAsync() => Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Answers the query once through GraphQL and keeps the bytes for the baseline to serve.</summary>
    public async Task<int> RecordBaselineAsync(string name, string body)
    {
        using var probe = new HttpClient { BaseAddress = Address };
        using var response = await probe.SendAsync(LoadGenerator.GraphQLPost(body)());
        _baselines[name] = await response.Content.ReadAsByteArrayAsync();
        return _baselines[name].Length;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var file in new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" })
            File.Delete(file);
    }
}
