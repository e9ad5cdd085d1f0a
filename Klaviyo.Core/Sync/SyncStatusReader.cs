using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Sync;

/// <summary>Sync state per entity: the stored states come through the cache, live progress is added at read time.</summary>
public sealed class SyncStatusReader(
    IDbContextFactory<KlaviyoDbContext> contexts,
    FreshCache cache,
    SyncProgressBoard board,
    SyncClock clock,
    IOptions<SyncOptions> schedule,
    TimeProvider time)
{
    private static readonly SyncEntity[] AllEntities = Enum.GetValues<SyncEntity>();

    public async Task<Fresh<SyncStatusResult>> ReadAsync(bool forceFresh, CancellationToken cancellationToken)
    {
        var states = await cache.GetAsync<IReadOnlyDictionary<SyncEntity, SyncState>>(CacheKeys.SyncStates(), AllEntities, forceFresh, async token =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            return await db.SyncStates.AsNoTracking().ToDictionaryAsync(s => s.Entity, token);
        }, cancellationToken);
        // Live progress is added below at every read: the whole response must never be stored.
        FreshnessTrace.Current?.MarkUncacheable();
        var now = time.GetUtcNow().UtcDateTime;
        var entities = AllEntities
            .Select(e => EntitySyncStatus.From(e, states.Data.GetValueOrDefault(e), board.Of(e), schedule.Value.IntervalOf(e), now, clock.CoveredFrom(e)))
            .ToList();
        return new Fresh<SyncStatusResult>(new SyncStatusResult(entities), states.LastUpdated, states.DataSource);
    }
}
