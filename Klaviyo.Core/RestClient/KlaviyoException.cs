namespace Klaviyo.Core.RestClient;

public enum KlaviyoFailure
{
    /// <summary>401/403: the key is wrong or lacks a scope. A configuration error; never retried.</summary>
    Auth,
    /// <summary>429 past the Retry-After cap.</summary>
    RateLimited,
    /// <summary>The Reporting API's daily budget (225 calls) is spent until 00:00 UTC.</summary>
    ReportBudgetSpent,
    /// <summary>5xx, timeouts and resets, after the retries.</summary>
    Unavailable,
    /// <summary>400: our request is wrong — a bug; never retried.</summary>
    InvalidRequest,
    /// <summary>A body that is not the JSON:API we expect.</summary>
    InvalidResponse,
    NotFound,
}

/// <summary>A failed Klaviyo call, classified. Messages name the path, never the key.</summary>
public sealed class KlaviyoException(KlaviyoFailure failure, string message, int? status = null, DateTime? retryAt = null, Exception? inner = null)
    : Exception(message, inner)
{
    public KlaviyoFailure Failure { get; } = failure;
    public int? Status { get; } = status;
    /// <summary>For <see cref="KlaviyoFailure.RateLimited"/> and <see cref="KlaviyoFailure.ReportBudgetSpent"/>: when to come back.</summary>
    public DateTime? RetryAt { get; } = retryAt;
}
