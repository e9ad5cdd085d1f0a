using Klaviyo.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// The GraphQL API on a TestServer over its own SQLite file — or, with KLAVIYO_TEST_POSTGRES set,
/// its own PostgreSQL database — in Production mode (no exception details). Settings and services
/// can be overridden per test class.
/// </summary>
public class ApiFactory : WebApplicationFactory<Klaviyo.Server.Program>
{
    private readonly string _databasePath;

    public ApiFactory()
        : this(null)
    {
    }

    /// <param name="databasePath">A database file to open (another factory's, to restart on it); a new one when null.</param>
    protected ApiFactory(string? databasePath)
    {
        _databasePath = databasePath ?? NewDatabasePath();
        // Alert evaluation reads the overview and the sync clock on its own schedule: only the tests about alerts turn it on.
        With("Alerts:Enabled", "false");
    }

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"klaviyo-tests-{Guid.NewGuid():N}.db");

    public string DatabasePath => _databasePath;

    /// <summary>A PostgreSQL server's connection string without a database (KLAVIYO_TEST_POSTGRES), or null for SQLite.</summary>
    public static string? PostgreSqlServer { get; } = Environment.GetEnvironmentVariable("KLAVIYO_TEST_POSTGRES") is { Length: > 0 } server ? server : null;

    // One database per database path, so a factory opened on another's path (a restart) finds its data.
    private string PostgreSqlDatabaseName => "klaviyo_" + Path.GetFileNameWithoutExtension(_databasePath).Replace('-', '_');

    /// <summary>Leave the database (and the sandbox's anchor beside it) for a later factory: a restart.</summary>
    public bool KeepDatabase { get; set; }

    /// <summary>A context on this factory's database that works before the app starts (to seed what start-up must find).</summary>
    public KlaviyoDbContext OpenDatabaseDirectly() => PostgreSqlServer is { } server
        ? new PostgreSqlKlaviyoDbContext(new DbContextOptionsBuilder<PostgreSqlKlaviyoDbContext>().UseNpgsql($"{server};Database={PostgreSqlDatabaseName}").Options)
        : new SqliteKlaviyoDbContext(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={_databasePath};Pooling=False").Options);
    // The schedule stays off unless a test turns it on: most tests seed the database themselves.
    // Rate limits too: only the tests of the limits themselves (Security/LimitTests) turn them on.
    // The hosted sandbox's key is known, so tests can call the sandbox as Klaviyo's SDKs would.
    private readonly Dictionary<string, string?> _settings = new() { ["Sync:Enabled"] = "false", ["Security:RateLimits:Enabled"] = "false", ["Sandbox:ApiKey"] = "pk_sandbox_local", ["Sandbox:DailyAnomaly"] = "false" };
    private readonly List<Action<IServiceCollection>> _services = [];

    public ApiFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public ApiFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        if (PostgreSqlServer is { } server)
        {
            builder.UseSetting("Database:Provider", "PostgreSql");
            builder.UseSetting("ConnectionStrings:Klaviyo", $"{server};Database={PostgreSqlDatabaseName}");
            builder.UseSetting("Database:DataDirectory", _databasePath + ".data"); // the sandbox's anchor
        }
        else
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_databasePath};Pooling=False");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddLoopbackPeer();
            foreach (var configure in _services)
                configure(services);
        });
    }

    public GraphQLTestClient GraphQL() => new(CreateClient());

    public async Task SeedAsync(Action<KlaviyoDbContext> seed)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();
        seed(db);
        await db.SaveChangesAsync();
        // Data and sync states written behind the engine's back: the clock must read them, and nothing
        // read before (the account, by a background pass) may be answered from the cache.
        Services.GetRequiredService<Klaviyo.Core.Freshness.SyncClock>().Reload();
        await Services.GetRequiredService<Klaviyo.Core.Freshness.FreshCache>().EvictAsync(Enum.GetValues<SyncEntity>());
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (KeepDatabase)
            return;
        if (PostgreSqlServer is { } server)
        {
            Klaviyo.Testing.Processes.PostgreSqlDatabase.Drop(server, PostgreSqlDatabaseName);
            if (Directory.Exists(_databasePath + ".data"))
                Directory.Delete(_databasePath + ".data", recursive: true);
            return;
        }
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm", _databasePath + ".sandbox.json" })
            File.Delete(file);
    }
}
