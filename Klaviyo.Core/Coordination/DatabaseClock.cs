using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Coordination;

/// <summary>The database's clock in Unix milliseconds: what leases and live instances are judged by, so no instance's clock decides.</summary>
internal static class DatabaseClock
{
    /// <summary>The clock as an SQL expression of the context's provider.</summary>
    public static string Sql(KlaviyoDbContext db) => db.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)",
        "Microsoft.EntityFrameworkCore.SqlServer" => "DATEDIFF_BIG(millisecond, '1970-01-01', SYSUTCDATETIME())",
        _ => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
    };

    public static Task<long> NowAsync(KlaviyoDbContext db, CancellationToken cancellationToken)
    {
        // A constant expression of the provider, nothing from outside.
        var sql = "SELECT " + Sql(db) + " AS \"Value\"";
        return db.Database.SqlQueryRaw<long>(sql).SingleAsync(cancellationToken);
    }
}
