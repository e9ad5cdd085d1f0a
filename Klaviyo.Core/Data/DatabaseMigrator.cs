using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Data;

/// <summary>Applies pending migrations before the server takes requests (unless switched off).</summary>
internal sealed class DatabaseMigrator(
    IDbContextFactory<KlaviyoDbContext> contexts,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets dashboard reads proceed while the sync engine writes; the
            // setting is stored in the database file, so setting it once per start is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
            return;
        logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}",
            pending.Count, db.Database.ProviderName, pending);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var migrating = await contexts.CreateDbContextAsync(cancellationToken);
                await migrating.Database.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (AppliedMeanwhile(e) && attempt < 10)
            {
                // Another instance creates or migrates the same database at this moment (a connected account's
                // store, started by every instance at once): each migration is its own transaction, so what
                // it committed is applied; try again from there.
                logger.LogInformation("Another instance is migrating this database ({Error}); trying again", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>What two instances migrating one database at once meet: the database, a table, a column or a history row that the other just made.</summary>
    private static bool AppliedMeanwhile(Exception e) =>
        e is Npgsql.PostgresException { SqlState: "42P04" or "42P07" or "42701" or "42710" or "23505" }
            or Microsoft.Data.SqlClient.SqlException { Number: 1801 or 2714 or 2705 or 2627 or 2601 }
        || (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 1 } && e.Message.Contains("already exists", StringComparison.Ordinal));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
