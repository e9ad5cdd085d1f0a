using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.GraphQL.Transport.Http;

/// <summary>
/// Whole responses, for identical repeated queries (a dashboard polled by many viewers). A response
/// is stored only when every payload in it was served from the field cache (so its bytes already
/// say CACHE, with the data's own lastUpdated) — counted per root field after fragments are expanded —
/// it had no errors, nothing is failing and no sync evicted or confirmed what it read while it ran (its bytes hold lastUpdated); it carries
/// the tags of the entities it read, so the sync evicts it together with them. While any error is
/// current, nothing is served from here: answers must say FALLBACK. A response is kept only when its
/// request was seen before (<see cref="SeenBefore"/>): a request sent once — a tracing client's
/// unique id in <c>extensions</c>, an ad-hoc query — would otherwise cost a copy of its bytes and push
/// a dashboard's repeated answers out of the cache.
/// </summary>
public sealed class ResponseCache(IFusionCache cache, FreshCache fields, ApiErrorBoard errors, CacheStatistics statistics, IOptions<CacheOptions> options)
{
    public sealed record Stored(byte[] Body, string Operation);

    /// <summary>
    /// The hashes of the last requests that missed, one per slot (a doorkeeper, as in TinyLFU): 512 KiB
    /// whatever the traffic. A collision at worst stores a response one request early or late.
    /// </summary>
    private readonly long[] _seen = new long[1 << 16];

    public Stored? TryGet(string key)
    {
        if (!errors.IsEmpty)
            return null;
        var stored = cache.TryGet<Stored>(key);
        if (!stored.HasValue)
            return null;
        statistics.ResponseHit();
        return stored.Value;
    }

    /// <summary>True when <paramref name="key"/> missed before (its response is worth keeping); otherwise remembers it.</summary>
    public bool SeenBefore(string key)
    {
        var hash = (uint)key.GetHashCode();
        var mark = hash | (1L << 32); // never 0, the empty slot
        ref var slot = ref _seen[hash & (_seen.Length - 1)];
        if (Volatile.Read(ref slot) == mark)
            return true;
        Volatile.Write(ref slot, mark);
        return false;
    }

    /// <summary>Read before executing and handed to <see cref="Store"/>: a sync that evicted meanwhile makes the response unfit to keep.</summary>
    public long Generation => fields.ResponseGeneration;

    public void Store(string key, Stored response, IReadOnlyCollection<SyncEntity> entities, long generation)
    {
        if (!errors.IsEmpty || fields.ResponseGeneration != generation)
            return;
        cache.Set(key, response, new FusionCacheEntryOptions { Duration = options.Value.DurationOf(entities), Size = 1 },
            [.. CacheKeys.Tags(entities), .. CacheKeys.ResponseTags(entities)]);
        // A sync that evicted or confirmed between the check and the set missed this entry: take it back out.
        if (fields.ResponseGeneration != generation)
            cache.Remove(key);
    }
}
