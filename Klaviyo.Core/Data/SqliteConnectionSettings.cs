using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Core.Data;

/// <summary>
/// <c>synchronous=NORMAL</c> on every SQLite connection (it is per connection, not stored in the
/// file). With write-ahead logging a commit then appends to the log without waiting for the disk;
/// the database stays consistent after any crash, and a power cut can lose the last commits — a
/// synced page and its checkpoint together, which the next sync reads again. At FULL every page of
/// a sync waited ~25 ms for fsync. The log is copied back into the database (a checkpoint) every
/// 16,000 pages (64 MB) instead of 1,000: a page of 1,000 events dirties ~1,000 pages of the events'
/// id index, so at 1,000 nearly every commit ran a checkpoint; a first sync's commits took 30 ms, now 18.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
