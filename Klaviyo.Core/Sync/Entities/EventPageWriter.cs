using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Klaviyo.Core.Sync.Entities;

/// <summary>
/// Writes a page of events, and what they add to the rollups, inside the page's transaction. On
/// engines with <c>INSERT … ON CONFLICT</c> (SQLite, PostgreSQL) that is two kinds of statement
/// and no change tracking: the insert skips ids already stored and returns the ones it wrote, and
/// only those are summed per bucket in memory and added to the stored rollups by an upsert.
/// Elsewhere (SQL Server) EF does the same through its change tracker.
/// </summary>
public static class EventPageWriter
{
    // Rows per statement. SQLite binds parameters by name with a linear search, so a long statement
    // costs the square of its parameters: there one prepared row is reused. PostgreSQL binds by
    // position and pays a round trip per statement: there 500 rows go in one (4,500 of its 65,535 parameters).
    private static int RowsPerStatement(KlaviyoDbContext db) => db.Database.IsSqlite() ? 1 : 500;
    private static readonly ConcurrentDictionary<(Type Context, string Table, int Rows), string> Statements = new();

    /// <summary>Stores the events not stored yet and adds them to the rollups; returns those it stored.</summary>
    public static async Task<IReadOnlyList<Event>> WriteAsync(KlaviyoDbContext db, IReadOnlyList<Event> events, CancellationToken cancellationToken)
    {
        var distinct = events.DistinctBy(e => e.Id).ToList();
        if (distinct.Count == 0)
            return [];
        if (!SupportsOnConflict(db))
            return await WriteTrackedAsync(db, distinct, cancellationToken);

        using var activity = KlaviyoTracing.Source.StartActivity("INSERT events", ActivityKind.Client);
        activity?.SetTag("db.operation.name", "INSERT");
        activity?.SetTag("db.operation.batch.size", distinct.Count);
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A page's events are written inside the page's transaction.");
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction.GetDbTransaction();

        var rows = RowsPerStatement(db);
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using (var insert = new Batches(connection, transaction, chunk => Statement(db, "Events", chunk, InsertEvents)))
        {
            foreach (var chunk in distinct.Chunk(rows))
            {
                var command = insert.For(chunk.Length, chunk.SelectMany(e => new object?[] { e.Id, e.MetricId, e.ProfileId, e.Datetime, e.Value, e.CampaignId, e.FlowId, e.MessageId, e.FormId }));
                if (chunk.Length == 1)
                {
                    // One row: the count of rows inserted says whether it was new, cheaper than reading RETURNING.
                    if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                        written.Add(chunk[0].Id);
                    continue;
                }
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                    written.Add(reader.GetString(0));
            }
        }
        var fresh = distinct.Where(e => written.Contains(e.Id)).ToList();

        await using (var upsert = new Batches(connection, transaction, chunk => Statement(db, "MetricRollups", chunk, UpsertRollups)))
        {
            foreach (var chunk in MetricRollupBuilder.From(fresh).Chunk(rows))
                await upsert.For(chunk.Length, chunk.SelectMany(r => new object?[] { r.MetricId, (int)r.Granularity, r.BucketStart, (int)r.Channel, r.Count, r.SumValue }))
                    .ExecuteNonQueryAsync(cancellationToken);
        }
        activity?.SetTag("db.response.returned_rows", fresh.Count);
        return fresh;
    }

    private static bool SupportsOnConflict(KlaviyoDbContext db) =>
        db.Database.ProviderName is "Microsoft.EntityFrameworkCore.Sqlite" or "Npgsql.EntityFrameworkCore.PostgreSQL";

    private static async Task<IReadOnlyList<Event>> WriteTrackedAsync(KlaviyoDbContext db, List<Event> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.Id).ToList();
        var known = (await db.Events.Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(cancellationToken)).ToHashSet();
        var fresh = events.Where(e => !known.Contains(e.Id)).ToList();
        db.Events.AddRange(fresh);
        if (fresh.Count == 0)
            return fresh;
        var deltas = MetricRollupBuilder.From(fresh);
        var metrics = deltas.Select(d => d.MetricId).Distinct().ToList();
        var starts = deltas.Select(d => d.BucketStart).Distinct().ToList();
        var stored = await db.MetricRollups
            .Where(r => metrics.Contains(r.MetricId) && starts.Contains(r.BucketStart))
            .ToDictionaryAsync(r => (r.MetricId, r.Granularity, r.BucketStart, r.Channel), cancellationToken);
        foreach (var delta in deltas)
        {
            if (stored.TryGetValue((delta.MetricId, delta.Granularity, delta.BucketStart, delta.Channel), out var rollup))
            {
                rollup.Count += delta.Count;
                rollup.SumValue += delta.SumValue;
            }
            else
                db.MetricRollups.Add(delta);
        }
        return fresh;
    }

    /// <summary>One prepared command per statement size, its parameters refilled for every chunk of rows.</summary>
    private sealed class Batches(DbConnection connection, DbTransaction transaction, Func<int, string> statement) : IAsyncDisposable
    {
        private readonly Dictionary<int, DbCommand> _commands = [];

        public DbCommand For(int rows, IEnumerable<object?> values)
        {
            if (!_commands.TryGetValue(rows, out var command))
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = statement(rows);
                _commands[rows] = command;
            }
            var index = 0;
            foreach (var value in values)
            {
                if (index == command.Parameters.Count)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@p" + index;
                    command.Parameters.Add(parameter);
                }
                command.Parameters[index++].Value = value ?? DBNull.Value;
            }
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
                await command.DisposeAsync();
        }
    }

    /// <summary>The statement for <paramref name="rows"/> rows, built once per engine from EF's model (table and column names, quoting).</summary>
    private static string Statement(KlaviyoDbContext db, string table, int rows, Func<Columns, int, string> build) =>
        Statements.GetOrAdd((db.GetType(), table, rows), _ => build(new Columns(db), rows));

    private static string InsertEvents(Columns c, int rows)
    {
        var e = c.Of<Event>();
        string[] columns = [e(nameof(Event.Id)), e(nameof(Event.MetricId)), e(nameof(Event.ProfileId)), e(nameof(Event.Datetime)), e(nameof(Event.Value)),
            e(nameof(Event.CampaignId)), e(nameof(Event.FlowId)), e(nameof(Event.MessageId)), e(nameof(Event.FormId))];
        return $"INSERT INTO {c.Table<Event>()} ({string.Join(", ", columns)}) VALUES {Values(rows, columns.Length)} ON CONFLICT ({columns[0]}) DO NOTHING"
            + (rows > 1 ? $" RETURNING {columns[0]}" : "");
    }

    private static string UpsertRollups(Columns c, int rows)
    {
        var r = c.Of<MetricRollup>();
        var table = c.Table<MetricRollup>();
        string[] key = [r(nameof(MetricRollup.MetricId)), r(nameof(MetricRollup.Granularity)), r(nameof(MetricRollup.BucketStart)), r(nameof(MetricRollup.Channel))];
        string count = r(nameof(MetricRollup.Count)), sum = r(nameof(MetricRollup.SumValue));
        return $"INSERT INTO {table} ({string.Join(", ", key)}, {count}, {sum}) VALUES {Values(rows, key.Length + 2)} "
            + $"ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}, {sum} = {table}.{sum} + excluded.{sum}";
    }

    private static string Values(int rows, int columns)
    {
        var sql = new StringBuilder();
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns; column++)
                sql.Append(column == 0 ? "" : ", ").Append("@p").Append(row * columns + column);
            sql.Append(')');
        }
        return sql.ToString();
    }

    /// <summary>Delimited table and column names as EF maps them on this engine.</summary>
    private sealed class Columns(KlaviyoDbContext db)
    {
        private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();

        public string Table<T>() => _sql.DelimitIdentifier(db.Model.FindEntityType(typeof(T))!.GetTableName()!);

        public Func<string, string> Of<T>()
        {
            var type = db.Model.FindEntityType(typeof(T))!;
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            return property => _sql.DelimitIdentifier(type.FindProperty(property)!.GetColumnName(table)!);
        }
    }
}
