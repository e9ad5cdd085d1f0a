using Klaviyo.Core.Data;

namespace Klaviyo.Core.Freshness;

/// <summary>How long read results stay cached and how the cache behaves when the database fails (section "Cache").</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long a result stays fresh, per entity; a payload reading several keeps the shortest. Syncs evict earlier.</summary>
    public Dictionary<SyncEntity, TimeSpan> Durations { get; set; } = new()
    {
        [SyncEntity.Events] = TimeSpan.FromSeconds(30),
        [SyncEntity.Campaigns] = TimeSpan.FromMinutes(1),
        [SyncEntity.Flows] = TimeSpan.FromMinutes(5),
        [SyncEntity.Metrics] = TimeSpan.FromMinutes(15),
        [SyncEntity.Segments] = TimeSpan.FromMinutes(5),
        [SyncEntity.Lists] = TimeSpan.FromMinutes(5),
        [SyncEntity.Forms] = TimeSpan.FromMinutes(5),
        [SyncEntity.Profiles] = TimeSpan.FromMinutes(1),
        [SyncEntity.CampaignReports] = TimeSpan.FromMinutes(5),
        [SyncEntity.FlowReports] = TimeSpan.FromMinutes(5),
        [SyncEntity.FormReports] = TimeSpan.FromMinutes(5),
        [SyncEntity.Account] = TimeSpan.FromMinutes(15),
    };

    /// <summary>Most entries the server cache holds (each result or stored response counts one); the least recently used go first.</summary>
    public long MaxEntries { get; set; } = 20_000;
    /// <summary>How old a copy fail-safe may still serve (as FALLBACK) while the database fails.</summary>
    public TimeSpan FailSafeMaxDuration { get; set; } = TimeSpan.FromDays(1);
    /// <summary>After fail-safe served a copy, how long before the database is tried again for that key.</summary>
    public TimeSpan FailSafeThrottleDuration { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>With a copy to fall back on, a slower query is answered from the copy (and finishes in the background).</summary>
    public TimeSpan FactorySoftTimeout { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Without a copy, a query is abandoned after this long.</summary>
    public TimeSpan FactoryHardTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan DurationOf(IEnumerable<SyncEntity> entities) =>
        entities.Select(e => Durations.GetValueOrDefault(e, TimeSpan.FromMinutes(1))).DefaultIfEmpty(TimeSpan.FromMinutes(1)).Min();
}
