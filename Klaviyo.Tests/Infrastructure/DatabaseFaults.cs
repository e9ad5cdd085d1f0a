using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// An EF interceptor that makes the database unreachable on demand (every command fails as SQLite
/// does when its file cannot be opened) and records the SQL the app sends.
/// </summary>
public sealed class DatabaseFaults : DbCommandInterceptor
{
    public volatile bool Down;

    public ConcurrentQueue<string> Commands { get; } = new();

    public int CountCommands(string fragment) => Commands.Count(c => c.Contains(fragment, StringComparison.Ordinal));

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }

    private void Check(DbCommand command)
    {
        if (Down)
            throw new SqliteException("SQLite Error 14: 'unable to open database file'.", 14);
        Commands.Enqueue(command.CommandText);
    }
}
