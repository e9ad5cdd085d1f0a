using System.Data.Common;
using Klaviyo.GraphQL.GraphQL.Errors;
using Klaviyo.GraphQL.Klaviyo;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Errors;

/// <summary>
/// The one classification of failures on the live path, used by GraphQL errors, sync runs and
/// state, <c>apiErrors</c> events, diagnostics and health checks.
/// </summary>
public static class ErrorClassifier
{
    /// <param name="Message">What a marketer can act on.</param>
    /// <param name="Detail">What a developer can debug with (exception messages; never a secret: the key travels only in a header).</param>
    public sealed record Classified(ApiErrorSource Source, string Code, string Message, string Detail, DateTime? RetryAt);

    public static bool IsDatabase(Exception error) =>
        error is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException }
        || error.InnerException is not null && error.InnerException != error && IsDatabase(error.InnerException);

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
        _ when IsDatabase(error) => DatabaseUnavailable(error.GetBaseException().Message),
        _ => new(ApiErrorSource.Sync, ErrorCodes.SyncFailed, "The sync failed unexpectedly; it will retry.", error.Message, null),
    };
}
