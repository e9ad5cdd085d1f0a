using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Freshness;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncStatusReader(
    IDbContextFactory<KlaviyoDbContext> contexts,
    SyncProgressBoard board,
    IOptions<SyncOptions> schedule,
    TimeProvider time)
{
    public async Task<Fresh<SyncStatusResult>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var states = await db.SyncStates.AsNoTracking().ToDictionaryAsync(s => s.Entity, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var entities = Enum.GetValues<SyncEntity>()
            .Select(e => EntitySyncStatus.From(e, states.GetValueOrDefault(e), board.Of(e), schedule.Value.IntervalOf(e), now))
            .ToList();
        // The same rule as every payload: the oldest last success, null while any entity never synced.
        DateTime? lastUpdated = entities.Any(e => e.LastSuccessAt is null) ? null : entities.Min(e => e.LastSuccessAt);
        return new Fresh<SyncStatusResult>(new SyncStatusResult(entities), lastUpdated, DataSource.Live);
    }
}
