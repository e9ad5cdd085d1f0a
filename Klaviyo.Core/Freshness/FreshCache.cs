using System.Runtime.CompilerServices;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.Extensions.Options;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Core.Freshness;

/// <summary>
/// Every read goes through here: FusionCache (stampede protection, fail-safe, soft/hard timeouts)
/// plus the labels DESIGN.md defines. LIVE when this call computed the answer, CACHE when it
/// was served from the cache, FALLBACK when fail-safe served a last good copy or an entity the
/// payload reads is failing. With no copy at all the caller gets a coded error, never a made-up value.
/// lastUpdated comes from the <see cref="SyncClock"/> at each answer: a sync that confirmed the data
/// without changing it moves the label, not the data.
/// </summary>
public sealed class FreshCache(IFusionCache cache, SyncClock clock, ApiErrorBoard errors, CacheStatistics statistics, IOptions<CacheOptions> options)
{
    /// <param name="traced">False for a read that serves another payload (the account's calendar for an overview) rather than being one.</param>
    public async Task<Fresh<T>> GetAsync<T>(
        string key, IReadOnlyCollection<SyncEntity> entities, bool forceFresh, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken, bool traced = true)
    {
        var settings = SettingsOf(entities);
        // Expire, not remove: the old copy stays available to fail-safe if the recomputation fails.
        if (forceFresh)
            await cache.ExpireAsync(key, token: cancellationToken);
        // Read before the data: the clock moves only after a sync's evictions, so whatever the cache
        // answers next is at least as new as this time.
        var confirmed = await ReadClockAsync(entities, cancellationToken);

        Fresh<T>? computed = null;
        var factoryRan = false;
        Fresh<T> answer;
        try
        {
            answer = await cache.GetOrSetAsync<Fresh<T>>(key, async (context, token) =>
            {
                factoryRan = true;
                var generation = Generation;
                try
                {
                    var data = await compute(token);
                    errors.Resolve(ApiErrorSource.Database);
                    // A sync evicted while this ran: the data may predate it, so answer with it but do not keep it.
                    if (Generation != generation)
                        context.Options.Duration = TimeSpan.FromMilliseconds(1);
                    return computed = new Fresh<T>(data, confirmed, DataSource.Live);
                }
                catch (Exception e) when (ErrorClassifier.IsDatabaseOutage(e))
                {
                    errors.Raise(ErrorClassifier.Classify(e));
                    throw;
                }
            }, settings.Options, settings.Tags, cancellationToken);
        }
        catch (Exception e) when (ErrorClassifier.RequestFault(e) is { } fault)
        {
            throw fault;
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e) || e is SyntheticTimeoutException)
        {
            throw new DataUnavailableError(ErrorClassifier.Classify(e is SyntheticTimeoutException ? new TimeoutException("The database did not answer in time.", e) : e));
        }

        return Label(answer, computed, factoryRan, forceFresh, confirmed, entities, traced);
    }

    /// <summary>LIVE, CACHE or FALLBACK for this answer, and its lastUpdated; counted in the statistics and the request's trace.</summary>
    private Fresh<T> Label<T>(Fresh<T> answer, Fresh<T>? computed, bool factoryRan, bool forceFresh, DateTime? confirmed, IReadOnlyCollection<SyncEntity> entities, bool traced)
    {
        var ours = ReferenceEquals(answer, computed);
        var failSafe = factoryRan && !ours; // the factory failed or timed out and fail-safe answered
        if (ours)
            statistics.Miss();
        else if (failSafe)
            statistics.FailSafe();
        else
            statistics.Hit();
        // A forceFresh caller that waited on a concurrent computation (stampede protection) got data computed after it asked: LIVE.
        var source = failSafe ? DataSource.Fallback : ours || forceFresh ? DataSource.Live : DataSource.Cache;
        if (errors.AffectsAny(entities))
            source = DataSource.Fallback;
        if (traced)
            FreshnessTrace.Current?.Record(entities, source);
        // A fail-safe copy is as old as it was when computed; anything else the clock has confirmed since.
        var lastUpdated = failSafe ? answer.LastUpdated : confirmed;
        return answer.DataSource == source && answer.LastUpdated == lastUpdated ? answer : answer with { DataSource = source, LastUpdated = lastUpdated };
    }

    private async ValueTask<DateTime?> ReadClockAsync(IReadOnlyCollection<SyncEntity> entities, CancellationToken cancellationToken)
    {
        try
        {
            return await clock.LastUpdatedAsync(entities, cancellationToken);
        }
        catch (Exception e) when (ErrorClassifier.IsDatabaseOutage(e))
        {
            // Only the first read loads the clock from the database; without it no label can be trusted.
            errors.Raise(ErrorClassifier.Classify(e));
            throw new DataUnavailableError(ErrorClassifier.Classify(e));
        }
    }

    private long _generation;

    /// <summary>Counts evictions: a result computed while it moved may predate the eviction and must not be kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    private long _responseGeneration;

    /// <summary>Counts evictions and confirmations: a whole response carries lastUpdated in its bytes, so either makes it unfit to keep.</summary>
    public long ResponseGeneration => Interlocked.Read(ref _responseGeneration);

    /// <summary>
    /// What another instance already evicted everywhere: this instance's memory only, nothing sent on.
    /// (FusionCache's own options for tag markers otherwise: they already wait for Redis and the
    /// backplane, so a sync's dataChanged goes out only after every instance has dropped its copy.)
    /// </summary>
    private static readonly FusionCacheEntryOptions HereOnly = HereOnlyOptions();

    private static FusionCacheEntryOptions HereOnlyOptions()
    {
        var options = new FusionCacheOptions().TagsDefaultEntryOptions.Duplicate();
        options.SkipDistributedCacheRead = true;
        options.SkipDistributedCacheWrite = true;
        options.SkipBackplaneNotifications = true;
        return options;
    }

    /// <summary>Drops every result read from these entities (a sync committed). The copies stay for fail-safe only.</summary>
    /// <param name="here">Only this instance's memory: the leader's eviction already reached Redis and the other instances.</param>
    public async Task EvictAsync(IEnumerable<SyncEntity> entities, CancellationToken cancellationToken = default, bool here = false)
    {
        Interlocked.Increment(ref _generation);
        Interlocked.Increment(ref _responseGeneration);
        foreach (var tag in CacheKeys.Tags(entities))
            await cache.RemoveByTagAsync(tag, here ? HereOnly : null, cancellationToken);
    }

    /// <summary>
    /// A sync confirmed these entities without changing them: results stay (their data is current and
    /// their label is read from the clock), only whole responses, whose bytes hold the old label, go.
    /// </summary>
    public async Task ConfirmedAsync(IEnumerable<SyncEntity> entities, CancellationToken cancellationToken = default, bool here = false)
    {
        Interlocked.Increment(ref _responseGeneration);
        foreach (var tag in CacheKeys.ResponseTags(entities))
            await cache.RemoveByTagAsync(tag, here ? HereOnly : null, cancellationToken);
    }

    /// <summary>Marks one result stale (its source changed without a sync committing data, e.g. a run started).</summary>
    public ValueTask ExpireAsync(string key) => cache.ExpireAsync(key);

    /// <summary>An entity set's entry options and tags.</summary>
    private sealed record EntrySettings(FusionCacheEntryOptions Options, string[] Tags);

    // Readers pass the same static entity sets on every call: their settings are built once, not per read.
    // (FusionCache copies the options before a factory changes them: context.Options.)
    private readonly ConditionalWeakTable<IReadOnlyCollection<SyncEntity>, EntrySettings> _settings = new();

    private EntrySettings SettingsOf(IReadOnlyCollection<SyncEntity> entities) =>
        _settings.TryGetValue(entities, out var known) ? known : _settings.GetValue(entities, e => new EntrySettings(EntryOptions(e), CacheKeys.Tags(e)));

    private FusionCacheEntryOptions EntryOptions(IReadOnlyCollection<SyncEntity> entities)
    {
        var o = options.Value;
        return new FusionCacheEntryOptions
        {
            Duration = o.DurationOf(entities),
            Size = 1, // counted against Cache:MaxEntries
            IsFailSafeEnabled = true,
            FailSafeMaxDuration = o.FailSafeMaxDuration,
            FailSafeThrottleDuration = o.FailSafeThrottleDuration,
            FactorySoftTimeout = o.FactorySoftTimeout,
            FactoryHardTimeout = o.FactoryHardTimeout,
            AllowTimedOutFactoryBackgroundCompletion = true,
        };
    }
}
