using System.Diagnostics;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Diagnostics;

/// <summary>Asks the database whether it answers, how fast, how many rows each table holds and how big it is.</summary>
public sealed class DatabaseProbe(IDbContextFactory<KlaviyoDbContext> contexts, IOptions<DatabaseOptions> options, IHostEnvironment environment)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public string Provider => options.Value.Provider.ToString();

    /// <summary>A round trip (SELECT 1); the error's classification when it fails.</summary>
    public async Task<(bool Reachable, double LatencyMs, string? Error)> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var db = await contexts.CreateDbContextAsync(timeout.Token);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", timeout.Token);
            return (true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception e) when (Errors.ErrorClassifier.IsDatabase(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The driver's message is the server's internals (paths, hosts): Development only.
            var message = e is OperationCanceledException ? $"No answer within {Timeout.TotalSeconds:0} s."
                : environment.IsDevelopment() ? e.GetBaseException().Message : Errors.ApiErrorBoard.DetailInLog;
            return (false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, message);
        }
    }

    public async Task<IReadOnlyList<TableRows>> RowCountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return
        [
            new("campaigns", await db.Campaigns.LongCountAsync(cancellationToken)),
            new("flows", await db.Flows.LongCountAsync(cancellationToken)),
            new("metrics", await db.Metrics.LongCountAsync(cancellationToken)),
            new("segments", await db.Segments.LongCountAsync(cancellationToken)),
            new("lists", await db.Lists.LongCountAsync(cancellationToken)),
            new("forms", await db.Forms.LongCountAsync(cancellationToken)),
            new("profiles", await db.Profiles.LongCountAsync(cancellationToken)),
            new("events", await db.Events.LongCountAsync(cancellationToken)),
            new("metricRollups", await db.MetricRollups.LongCountAsync(cancellationToken)),
            new("syncRuns", await db.SyncRuns.LongCountAsync(cancellationToken)),
        ];
    }

    /// <summary>Bytes on disk (SQLite: pages × page size; SQL Server: data and log files; PostgreSQL: the database's size).</summary>
    public async Task<long?> SizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sql = options.Value.Provider switch
        {
            DatabaseProvider.SqlServer => "SELECT CAST(SUM(CAST(size AS bigint)) * 8192 AS bigint) AS Value FROM sys.database_files",
            DatabaseProvider.PostgreSql => "SELECT pg_database_size(current_database()) AS \"Value\"",
            _ => "SELECT page_count * page_size AS Value FROM pragma_page_count(), pragma_page_size()",
        };
        return await db.Database.SqlQueryRaw<long>(sql).SingleOrDefaultAsync(cancellationToken);
    }
}

public sealed record TableRows(string Table, long Rows);
