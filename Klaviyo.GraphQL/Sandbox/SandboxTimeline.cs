using System.Text.Json;
using Klaviyo.GraphQL.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Sandbox;

/// <summary>
/// When the sandbox account began to live, fixed when it is first created and kept beside the
/// database (<c>klaviyo.db.sandbox.json</c>), so a restart continues the same account: the same ids
/// carry the same timestamps, and what "happened" while the app was down arrives as a backlog.
/// A different seed starts a different account (and a new anchor).
/// </summary>
public sealed class SandboxTimeline
{
    private sealed record Anchor(int Seed, DateTime LiveFrom);

    public SandboxTimeline(IConfiguration configuration, IHostEnvironment environment, IOptions<DatabaseOptions> database,
        IOptions<SandboxOptions> sandbox, TimeProvider time, ILogger<SandboxTimeline> logger)
    {
        FilePath = PathFor(configuration.GetConnectionString("Klaviyo"), environment.ContentRootPath, database.Value);
        var seed = sandbox.Value.Seed;
        var now = time.GetUtcNow().UtcDateTime;
        LiveFrom = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, DateTimeKind.Utc);
        if (FilePath is null)
            return;
        try
        {
            if (File.Exists(FilePath) && JsonSerializer.Deserialize<Anchor>(File.ReadAllText(FilePath)) is { } anchor && anchor.Seed == seed && anchor.LiveFrom <= now)
            {
                LiveFrom = DateTime.SpecifyKind(anchor.LiveFrom, DateTimeKind.Utc);
                return;
            }
            File.WriteAllText(FilePath, JsonSerializer.Serialize(new Anchor(seed, LiveFrom)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            logger.LogWarning("The sandbox account's start could not be kept in {Path} ({Reason}); it starts now and a restart will start another", FilePath, e.Message);
        }
    }

    /// <summary>From here on events, profiles and campaigns arrive live.</summary>
    public DateTime LiveFrom { get; }

    /// <summary>Where the anchor is kept; null for an in-memory database.</summary>
    public string? FilePath { get; }

    private static string? PathFor(string? connectionString, string contentRoot, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.Sqlite && connectionString is { Length: > 0 })
        {
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            return string.IsNullOrEmpty(file) || file == ":memory:" ? null : Path.GetFullPath(file, contentRoot) + ".sandbox.json";
        }
        var folder = Path.GetFullPath(Path.Combine(contentRoot, database.DataDirectory));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, database.Provider == DatabaseProvider.Sqlite ? "klaviyo.db.sandbox.json" : "sandbox.json");
    }
}
