namespace Klaviyo.Core.Errors;

/// <summary>Every <c>extensions.code</c> this server emits besides GraphQL.NET's own validation codes.</summary>
public static class ErrorCodes
{
    public const string InvalidInput = "INVALID_INPUT";
    /// <summary>The request conflicts with stored data (a constraint the database enforces).</summary>
    public const string Conflict = "CONFLICT";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string NotFound = "NOT_FOUND";
    public const string Timeout = "TIMEOUT";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string RequestTooLarge = "REQUEST_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string NotAcceptable = "NOT_ACCEPTABLE";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string OperationNotFound = "OPERATION_NOT_FOUND";
    public const string DatabaseUnavailable = "DATABASE_UNAVAILABLE";
    public const string KlaviyoAuth = "KLAVIYO_AUTH";
    public const string KlaviyoRateLimited = "KLAVIYO_RATE_LIMITED";
    public const string KlaviyoUnavailable = "KLAVIYO_UNAVAILABLE";
    /// <summary>The Reporting API's 225 calls for the UTC day are spent: reports wait for 00:00 UTC.</summary>
    public const string KlaviyoReportLimit = "KLAVIYO_REPORT_LIMIT";
    public const string KlaviyoInvalidResponse = "KLAVIYO_INVALID_RESPONSE";
    public const string KlaviyoInvalidRequest = "KLAVIYO_INVALID_REQUEST";
    public const string SyncFailed = "SYNC_FAILED";
    public const string DataUnavailable = "DATA_UNAVAILABLE";
    /// <summary>What the answer reads has never synced: the server does not know the numbers yet (retry after the first sync; syncStatus says when).</summary>
    public const string NotYetSynced = "NOT_YET_SYNCED";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
    public const string RateLimited = "RATE_LIMITED";
    /// <summary>Several instances share the database and this one does not hold the sync lease: retry on the leader (extensions.leader) or shortly.</summary>
    public const string NotLeader = "NOT_LEADER";
    /// <summary>A sync run stopped because its instance lost the sync lease: another instance syncs now.</summary>
    public const string LeaseLost = "LEASE_LOST";
}
