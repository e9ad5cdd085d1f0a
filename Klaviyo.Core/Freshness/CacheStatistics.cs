using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Core.Freshness;

/// <summary>
/// What the server cache did. Hits, misses and fail-safe answers are counted per answer by
/// <see cref="FreshCache"/> (FusionCache's own events fire once per internal lookup, twice on a
/// cold key); evictions come from FusionCache's events.
/// </summary>
public sealed class CacheStatistics
{
    private long _hits;
    private long _misses;
    private long _failSafeActivations;
    private long _evictions;
    private long _responseHits;

    public CacheStatistics(IFusionCache cache)
    {
        cache.Events.RemoveByTag += (_, _) => Interlocked.Increment(ref _evictions);
        cache.Events.Expire += (_, _) => Interlocked.Increment(ref _evictions);
        cache.Events.Memory.Eviction += (_, _) => Interlocked.Increment(ref _evictions);
    }

    public long Hits => Interlocked.Read(ref _hits);
    /// <summary>Answers computed from the database (cold key, expired copy, or forceFresh).</summary>
    public long Misses => Interlocked.Read(ref _misses);
    /// <summary>Answers served from a stale copy because the live path failed or was too slow.</summary>
    public long FailSafeActivations => Interlocked.Read(ref _failSafeActivations);
    public long Evictions => Interlocked.Read(ref _evictions);
    /// <summary>Whole HTTP responses served from the cache without executing the query.</summary>
    public long ResponseHits => Interlocked.Read(ref _responseHits);

    public void Hit() => Interlocked.Increment(ref _hits);
    public void Miss() => Interlocked.Increment(ref _misses);
    public void FailSafe() => Interlocked.Increment(ref _failSafeActivations);
    public void ResponseHit() => Interlocked.Increment(ref _responseHits);
}
