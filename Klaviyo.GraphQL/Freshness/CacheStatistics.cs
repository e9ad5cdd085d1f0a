using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.GraphQL.Freshness;

/// <summary>Counts what the server cache did, from FusionCache's own events.</summary>
public sealed class CacheStatistics
{
    private long _hits;
    private long _misses;
    private long _failSafeActivations;
    private long _evictions;

    public CacheStatistics(IFusionCache cache)
    {
        cache.Events.Hit += (_, e) =>
        {
            if (!e.IsStale)
                Interlocked.Increment(ref _hits);
        };
        cache.Events.FailSafeActivate += (_, _) => Interlocked.Increment(ref _failSafeActivations);
        cache.Events.Miss += (_, _) => Interlocked.Increment(ref _misses);
        cache.Events.RemoveByTag += (_, _) => Interlocked.Increment(ref _evictions);
        cache.Events.Expire += (_, _) => Interlocked.Increment(ref _evictions);
        cache.Events.Memory.Eviction += (_, _) => Interlocked.Increment(ref _evictions);
    }

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Answers served from a stale copy because the live path failed or was too slow.</summary>
    public long FailSafeActivations => Interlocked.Read(ref _failSafeActivations);
    public long Evictions => Interlocked.Read(ref _evictions);
}
