using System.Data.Common;
using Klaviyo.Core.RestClient;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Errors;

/// <summary>
/// The one classification of failures on the live path, used by GraphQL errors, sync runs and
/// state, <c>apiErrors</c> events, diagnostics and health checks.
/// </summary>
public static class ErrorClassifier
{
    /// <param name="Message">What a marketer can act on.</param>
    /// <param name="Detail">What a developer can debug with (exception messages; never a secret: the key travels only in a header).</param>
    public sealed record Classified(ApiErrorSource Source, string Code, string Message, string Detail, DateTime? RetryAt);

    /// <summary>A database failure that is not the request's own doing (see <see cref="RequestFault"/>).</summary>
    public static bool IsDatabaseOutage(Exception error) => IsDatabase(error) && RequestFault(error) is null;

    public static bool IsDatabase(Exception error) =>
        error is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException }
        || error.InnerException is not null && error.InnerException != error && IsDatabase(error.InnerException);

    /// <summary>
    /// A database error the request caused itself — a constraint it broke, too many values, a value
    /// out of range — as opposed to the database being unreachable or failing. It is that request's
    /// error (<see cref="RequestFault"/>), never the global DATABASE_UNAVAILABLE that turns every
    /// answer FALLBACK.
    /// </summary>
    public static InvalidInputError? RequestFault(Exception error) => error.GetBaseException() switch
    {
        // SQLite's primary result codes: https://www.sqlite.org/rescode.html
        SqliteException { SqliteErrorCode: 19 } => Rejected("breaks a constraint of the stored data", ErrorCodes.Conflict),
        SqliteException { SqliteErrorCode: 18 or 20 or 25 } e => Rejected($"has a value the database cannot take ({e.SqliteErrorCode})", ErrorCodes.InvalidInput),
        SqliteException { SqliteErrorCode: 1 } e when e.Message.Contains("too many", StringComparison.OrdinalIgnoreCase) => Rejected("has too many values (a filter list is the usual cause)", ErrorCodes.InvalidInput),
        // SQL Server: constraint and duplicate key; too many parameters; conversion and overflow.
        SqlException { Number: 547 or 2601 or 2627 } => Rejected("breaks a constraint of the stored data", ErrorCodes.Conflict),
        SqlException { Number: 2100 or 8003 } => Rejected("has too many values (a filter list is the usual cause)", ErrorCodes.InvalidInput),
        SqlException { Number: 245 or 8114 or 8115 or 220 or 232 } => Rejected("has a value the database cannot take", ErrorCodes.InvalidInput),
        _ => null,
    };

    private static InvalidInputError Rejected(string why, string code) => new($"The database rejected this request: it {why}. Nothing was changed.", code);

    public static Classified DatabaseUnavailable(string detail) => new(ApiErrorSource.Database, ErrorCodes.DatabaseUnavailable,
        "The database is not answering; showing the last good copy where there is one.", detail, null);

    public static Classified Classify(Exception error) => error switch
    {
        KlaviyoException { Failure: KlaviyoFailure.Auth } e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoAuth,
            "Klaviyo rejected the API key. Check Klaviyo:ApiKey and its read scopes.", e.Message, null),
        KlaviyoException { Failure: KlaviyoFailure.RateLimited } e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoRateLimited,
            e.RetryAt is DateTime at ? $"Klaviyo is rate-limiting us until {at:HH:mm:ss} UTC; data will catch up after that." : "Klaviyo is rate-limiting us; data will catch up shortly.", e.Message, e.RetryAt),
        KlaviyoException { Failure: KlaviyoFailure.ReportBudgetSpent } e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoReportLimit,
            $"Klaviyo's daily reporting limit is reached; next reports at {e.RetryAt:yyyy-MM-dd HH:mm} UTC.", e.Message, e.RetryAt),
        KlaviyoException { Failure: KlaviyoFailure.Unavailable } e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoUnavailable,
            "Klaviyo is not answering; showing the last synced data until it is back.", e.Message, null),
        KlaviyoException { Failure: KlaviyoFailure.InvalidResponse } e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoInvalidResponse,
            "Klaviyo sent an answer we could not read; the sync will retry.", e.Message, null),
        KlaviyoException e => new(ApiErrorSource.Klaviyo, ErrorCodes.KlaviyoInvalidRequest,
            "A request to Klaviyo was rejected; this is a bug in the sync, reported to the developers.", e.Message, null),
        Coordination.LeaseLostException e => new(ApiErrorSource.Sync, ErrorCodes.LeaseLost,
            "This instance stopped syncing: another instance holds the sync lease now.", e.Message, null),
        // A statement the sync itself got wrong (a constraint it broke) is its failure, not the database's.
        _ when IsDatabaseOutage(error) => DatabaseUnavailable(error.GetBaseException().Message),
        _ => new(ApiErrorSource.Sync, ErrorCodes.SyncFailed, "The sync failed unexpectedly; it will retry.", error.Message, null),
    };
}
