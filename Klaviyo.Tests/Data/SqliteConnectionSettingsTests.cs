using Klaviyo.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Data;

/// <summary>The per-connection settings are applied once to a pooled connection and are still there each time it is opened again.</summary>
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"klaviyo-settings-{Guid.NewGuid():N}.db");

    private SqliteKlaviyoDbContext Open() =>
        new(new DbContextOptionsBuilder<SqliteKlaviyoDbContext>().UseSqlite($"Data Source={_path}").AddInterceptors(new SqliteConnectionSettings()).Options);

    private static async Task<(long Synchronous, long Checkpoint)> SettingsAsync(KlaviyoDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        var synchronous = (long)(await command.ExecuteScalarAsync())!;
        command.CommandText = "PRAGMA wal_autocheckpoint";
        return (synchronous, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Every_open_of_a_pooled_connection_has_NORMAL_sync_and_the_long_checkpoint()
    {
        for (var open = 0; open < 3; open++)
        {
            await using var db = Open();
            Assert.Equal((1L, 16_000L), await SettingsAsync(db)); // 1 = NORMAL
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*"))
            File.Delete(file);
    }
}
