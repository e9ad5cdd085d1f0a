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
/// current, nothing is served from here: answers must say FALLBACK.
/// </summary>
public sealed class ResponseCache(IFusionCache cache, FreshCache fields, ApiErrorBoard errors, CacheStatistics statistics, IOptions<CacheOptions> options)
{
    public sealed record Stored(byte[] Body, string Operation);

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
