namespace Klaviyo.GraphQL.Klaviyo;

/// <summary>Counters the client keeps for runs and diagnostics.</summary>
public sealed class KlaviyoClientStatistics
{
    private readonly Lock _budget = new();
    private long _requests, _rateLimited, _retries;

    public long Requests => Interlocked.Read(ref _requests);
    public long RateLimited => Interlocked.Read(ref _rateLimited);
    public long Retries => Interlocked.Read(ref _retries);
    /// <summary>RateLimit-Remaining of the latest response that had it.</summary>
    public int? LastRateLimitRemaining { get; private set; }
    public int ReportCallsToday { get; private set; }
    public DateOnly ReportDay { get; private set; }

    public void Request() => Interlocked.Increment(ref _requests);
    public void Throttled() => Interlocked.Increment(ref _rateLimited);
    public void Retry() => Interlocked.Increment(ref _retries);
    public void Headroom(int remaining) => LastRateLimitRemaining = remaining;

    /// <summary>Counts a Reporting API call against today's budget; false when it is spent.</summary>
    public bool TrySpendReportCall(DateTime now, int budget)
    {
        lock (_budget)
        {
            var today = DateOnly.FromDateTime(now);
            if (ReportDay != today)
                (ReportDay, ReportCallsToday) = (today, 0);
            if (ReportCallsToday >= budget)
                return false;
            ReportCallsToday++;
            return true;
        }
    }
}
