namespace Klaviyo.Core.RestClient;

/// <summary>Counters the client keeps for runs and diagnostics.</summary>
public sealed class KlaviyoClientStatistics
{
    private long _requests, _rateLimited, _retries;

    public long Requests => Interlocked.Read(ref _requests);
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>RateLimit-Remaining of the latest response that had it.</summary>
    public int? LastRateLimitRemaining { get; private set; }

    public void Request() => Interlocked.Increment(ref _requests);
    public void Throttled() => Interlocked.Increment(ref _rateLimited);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Headroom(int remaining) => LastRateLimitRemaining = remaining;
}
