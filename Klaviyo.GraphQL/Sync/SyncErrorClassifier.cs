using System.Data.Common;
using Klaviyo.GraphQL.Klaviyo;
using Klaviyo.GraphQL.Sync.Events;

namespace Klaviyo.GraphQL.Sync;

/// <summary>One classification of sync failures, used by runs, sync state and apiErrors events.</summary>
public static class SyncErrorClassifier
{
    public sealed record Classified(ApiErrorSource Source, string Code, string Message, string Detail, DateTime? RetryAt);

    public static Classified Classify(Exception error) => error switch
    {
        KlaviyoException { Failure: KlaviyoFailure.Auth } e => new(ApiErrorSource.Klaviyo, "KLAVIYO_AUTH",
            "Klaviyo rejected the API key. Check Klaviyo:ApiKey and its read scopes.", e.Message, null),
        KlaviyoException { Failure: KlaviyoFailure.RateLimited } e => new(ApiErrorSource.Klaviyo, "KLAVIYO_RATE_LIMITED",
            e.RetryAt is DateTime at ? $"Klaviyo is rate-limiting us until {at:HH:mm:ss} UTC; data will catch up after that." : "Klaviyo is rate-limiting us.", e.Message, e.RetryAt),
        KlaviyoException { Failure: KlaviyoFailure.Unavailable } e => new(ApiErrorSource.Klaviyo, "KLAVIYO_UNAVAILABLE",
            "Klaviyo is not answering; showing the last synced data until it is back.", e.Message, null),
        KlaviyoException { Failure: KlaviyoFailure.InvalidResponse } e => new(ApiErrorSource.Klaviyo, "KLAVIYO_INVALID_RESPONSE",
            "Klaviyo sent an answer we could not read; the sync will retry.", e.Message, null),
        KlaviyoException e => new(ApiErrorSource.Klaviyo, "KLAVIYO_INVALID_REQUEST",
            "A request to Klaviyo was rejected; this is a bug in the sync, reported to the developers.", e.Message, null),
        DbException or InvalidOperationException { InnerException: DbException } or Microsoft.EntityFrameworkCore.DbUpdateException => new(ApiErrorSource.Database, "DATABASE_UNAVAILABLE",
            "The database could not save synced data; the sync will retry.", error.GetBaseException().Message, null),
        _ => new(ApiErrorSource.Sync, "SYNC_FAILED", "The sync failed unexpectedly; it will retry.", error.Message, null),
    };
}
