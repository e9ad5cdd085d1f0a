using Klaviyo.Core.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Klaviyo.Core.Accounts;

/// <summary>
/// Where a connected account's data lives: beside the deployment's own database, on the same
/// engine — a SQLite file next to it, or a database of its own on the same server (the migrations
/// create it, so the deployment's login needs the right to create databases). Its own store, not
/// rows tagged with an account: nothing of one account can appear in another's answers, and
/// removing an account drops its store whole.
/// </summary>
public static class AccountStores
{
    /// <summary>The connection string of <paramref name="store"/>, derived from the deployment's.</summary>
    public static string ConnectionString(DatabaseProvider provider, string deploymentConnectionString, string store)
    {
        var suffix = store.Replace('-', '_');
        switch (provider)
        {
            case DatabaseProvider.PostgreSql:
                var postgres = new NpgsqlConnectionStringBuilder(deploymentConnectionString);
                postgres.Database = DatabaseName(postgres.Database ?? "", suffix, PostgreSqlMaxName);
                return postgres.ConnectionString;
            case DatabaseProvider.SqlServer:
                var sqlServer = new SqlConnectionStringBuilder(deploymentConnectionString);
                sqlServer.InitialCatalog = DatabaseName(sqlServer.InitialCatalog, suffix, SqlServerMaxName);
                return sqlServer.ConnectionString;
            default:
                var sqlite = new SqliteConnectionStringBuilder(deploymentConnectionString);
                if (string.IsNullOrEmpty(sqlite.DataSource) || sqlite.DataSource == ":memory:" || sqlite.Mode == SqliteOpenMode.Memory)
                    throw new InvalidOperationException("Several accounts need a database file: the deployment's SQLite database is in memory.");
                sqlite.DataSource = Path.Combine(Path.GetDirectoryName(sqlite.DataSource) ?? "", $"{Path.GetFileNameWithoutExtension(sqlite.DataSource)}.{store}{Path.GetExtension(sqlite.DataSource)}");
                return sqlite.ConnectionString;
        }
    }

    private const int PostgreSqlMaxName = 63;
    private const int SqlServerMaxName = 128;

    /// <summary>
    /// <c>&lt;deployment&gt;_account_&lt;id&gt;</c>; when that is longer than the engine keeps (PostgreSQL cuts
    /// names at 63 bytes, which would give every account of a long-named deployment one database),
    /// the deployment's part is shortened and a hash of it keeps it apart from others.
    /// </summary>
    internal static string DatabaseName(string deployment, string suffix, int max)
    {
        var name = $"{deployment}_{suffix}";
        if (System.Text.Encoding.UTF8.GetByteCount(name) <= max)
            return name;
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deployment)))[..8].ToLowerInvariant();
        var keep = Math.Max(0, max - suffix.Length - hash.Length - 2);
        var prefix = new string([.. deployment.Where(char.IsAscii).Take(keep)]);
        return $"{prefix}_{hash}_{suffix}";
    }

    /// <summary>Deletes a store whole (its connections closed first): the file and its logs, or the database.</summary>
    public static async Task DeleteAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            var file = new SqliteConnectionStringBuilder(sqlite.ConnectionString).DataSource;
            SqliteConnection.ClearPool(sqlite);
            foreach (var path in new[] { file, file + "-wal", file + "-shm" })
                File.Delete(path);
            return;
        }
        if (db.Database.GetDbConnection() is NpgsqlConnection postgres)
        {
            // Other instances of a coordinated deployment may still hold connections to it (they stop the
            // account at their next look at the accounts): FORCE ends them (PostgreSQL 13+).
            NpgsqlConnection.ClearPool(postgres);
            var target = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
            var name = target.Database!;
            target.Database = "postgres";
            target.Pooling = false;
            await using var maintenance = new NpgsqlConnection(target.ConnectionString);
            await maintenance.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"")}\" WITH (FORCE)", maintenance);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            return;
        }
        // SQL Server's drop sets the database single-user with rollback immediate first.
        await db.Database.EnsureDeletedAsync(cancellationToken);
    }
}
