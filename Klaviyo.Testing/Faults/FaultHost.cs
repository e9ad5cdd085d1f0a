using Klaviyo.Core.Data;
using Klaviyo.Core.Security;
using Klaviyo.Sandbox;
using Klaviyo.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Testing.Faults;

/// <summary>
/// The API as it runs alone (Klaviyo.GraphQL's Program: sandbox, schedule, health) on a loopback
/// port over its own SQLite file, in Production, with a switch that takes the database away.
/// </summary>
public sealed class FaultHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FaultHost(WebApplication app, string databasePath, DatabaseOutage outage) => (_app, DatabasePath, Database) = (app, databasePath, outage);

    public string DatabasePath { get; }
    public DatabaseOutage Database { get; }
    public Uri Address => new(_app.Urls.First());

    public static async Task<FaultHost> StartAsync(IReadOnlyDictionary<string, string?> settings, string? databasePath = null)
    {
        var database = databasePath ?? Path.Combine(Path.GetTempPath(), $"klaviyo-faults-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        // A fixed address when the settings name one (a webhook's public URL must be known before start).
        builder.WebHost.UseUrls(settings.TryGetValue("Urls", out var urls) && urls is not null ? urls : "http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        if (!settings.ContainsKey("ConnectionStrings:Klaviyo"))
            builder.Configuration["ConnectionStrings:Klaviyo"] = $"Data Source={database}";
        var outage = new DatabaseOutage();
        builder.Services.AddSingleton<IInterceptor>(outage);
        builder.AddKlaviyoApi();
        var app = builder.Build();
        app.UseKlaviyoSecurity();
        app.MapKlaviyoApi();
        await app.StartAsync();
        return new FaultHost(app, database, outage);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public Task<KlaviyoDbContext> DbAsync() => Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

    public void SetFaults(SandboxFaults faults) => Service<SandboxFaultSwitch>().Set(faults);

    public async ValueTask DisposeAsync()
    {
        Database.Down = false;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static void DeleteDatabase(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + ".sandbox.json" })
            File.Delete(file);
    }
}
