using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary>
/// Limits on what a request does rather than how many requests arrive: mutations per identity, and
/// refreshData tighter still (it syncs from Klaviyo, whose own limits are shared by everyone).
/// Used by both transports after the operation is parsed.
/// </summary>
public sealed class OperationRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _mutations;
    private readonly PartitionedRateLimiter<string> _refreshes;
    private readonly bool _enabled;

    public OperationRateLimiter(IOptions<SecurityOptions> options)
    {
        var limits = options.Value.RateLimits;
        _enabled = limits.Enabled;
        _mutations = PerMinute(limits.MutationsPerMinute);
        _refreshes = PerMinute(limits.RefreshesPerMinute);
    }

    /// <summary>Null when the operation may run; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string partition, bool mutation, bool refresh)
    {
        if (!_enabled || !mutation)
            return null;
        using var lease = _mutations.AttemptAcquire(partition);
        if (!lease.IsAcquired)
            return RetryAfter(lease);
        if (!refresh)
            return null;
        using var refreshLease = _refreshes.AttemptAcquire(partition);
        return refreshLease.IsAcquired ? null : RetryAfter(refreshLease);
    }

    public static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(permits)));

    public static TokenBucketRateLimiterOptions Bucket(int permitsPerMinute) => new()
    {
        TokenLimit = Math.Max(1, permitsPerMinute),
        TokensPerPeriod = Math.Max(1, permitsPerMinute / 6),
        ReplenishmentPeriod = TimeSpan.FromSeconds(10),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(10);

    public void Dispose()
    {
        _mutations.Dispose();
        _refreshes.Dispose();
    }
}
