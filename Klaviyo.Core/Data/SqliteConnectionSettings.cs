using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Klaviyo.Core.Data;

/// <summary>
/// <c>synchronous=NORMAL</c> on every SQLite connection (it is per connection, not stored in the
/// file). With write-ahead logging a commit then appends to the log without waiting for the disk;
/// the database stays consistent after any crash, and a power cut can lose the last commits — a
/// synced page and its checkpoint together, which the next sync reads again. At FULL every page of
/// a sync waited ~25 ms for fsync. The log is copied back into the database (a checkpoint) every
/// 16,000 pages (64 MB) instead of 1,000: a page of 1,000 events dirties ~1,000 pages of the events'
/// id index, so at 1,000 nearly every commit ran a checkpoint; a first sync's commits took 30 ms, now 18.
/// Set once per physical connection: a pooled one keeps them, and a portfolio row opens two.
/// </summary>
/// <param name="cacheKiB">The page cache per connection (<see cref="DatabaseOptions.SqliteCacheKiB"/>); null keeps SQLite's.</param>
public sealed class SqliteConnectionSettings(int? cacheKiB = null) : DbConnectionInterceptor
{
    private readonly string _pragma = "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16000;"
        + (cacheKiB is { } kiB ? $" PRAGMA cache_size=-{kiB};" : "");

    /// <summary>The native connections already set (an entry goes with its connection).</summary>
    private static readonly ConditionalWeakTable<sqlite3, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!FirstOpen(connection))
            return;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            command.ExecuteNonQuery();
        }
        catch
        {
            Forget(connection);
            throw;
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!FirstOpen(connection))
            return;
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            Forget(connection);
            throw;
        }
    }

    /// <summary>True once per native connection (and again after setting it failed).</summary>
    private static bool FirstOpen(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Configured.TryAdd(handle, Configured);

    private static void Forget(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
            Configured.Remove(handle);
    }
}
