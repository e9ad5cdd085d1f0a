using Klaviyo.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Data;

/// <summary>The per-connection settings are applied once to a pooled connection and are still there each time it is opened again.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"klaviyo-settings-{Guid.NewGuid():N}.db");

    private SqliteKlaviyoDbContext Open(int? cacheKiB) =>
        new(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={_path}").AddInterceptors(new SqliteConnectionSettings(cacheKiB)).Options);

    private static async Task<(long Synchronous, long Checkpoint, long Cache)> SettingsAsync(KlaviyoDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        async Task<long> Pragma(string name)
        {
            command.CommandText = $"PRAGMA {name}";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        return (await Pragma("synchronous"), await Pragma("wal_autocheckpoint"), await Pragma("cache_size"));
    }

    [Theory]
    [InlineData(null, -2000L)] // SQLite's own default
    [InlineData(512, -512L)]
    public async Task Every_open_of_a_pooled_connection_has_NORMAL_sync_the_long_checkpoint_and_its_cache(int? cacheKiB, long cacheSize)
    {
        for (var open = 0; open < 3; open++)
        {
            await using var db = Open(cacheKiB);
            Assert.Equal((1L, 16_000L, cacheSize), await SettingsAsync(db)); // synchronous 1 = NORMAL
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*"))
            File.Delete(file);
    }
}
