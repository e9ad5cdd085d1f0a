using Klaviyo.Core.Data;
using Klaviyo.Core.Sync.Events;

namespace Klaviyo.Core.Sync;

public sealed record EntitySyncStatus(
    SyncEntity Entity,
    SyncHealth State,
    DateTime? LastSuccessAt,
    DateTime? LastAttemptAt,
    long RecordCount,
    string? LastError,
    DateTime? NextRunAt,
    SyncProgressEvent? Progress,
    DateTime? CoveredFrom = null)
{
    /// <param name="coveredFrom">During a first sync that reads recent records first, the instant from which every record is in.</param>
    public static EntitySyncStatus From(SyncEntity entity, SyncState? state, SyncProgressEvent? progress, TimeSpan interval, DateTime now, DateTime? coveredFrom = null) => new(
        entity,
        HealthOf(state, progress, interval, now),
        state?.LastSuccessAt,
        state?.LastAttemptAt,
        state?.RecordCount ?? 0,
        state?.LastError,
        state?.NextRunAt,
        progress,
        state?.LastSuccessAt is null ? coveredFrom : null);

    private static SyncHealth HealthOf(SyncState? state, SyncProgressEvent? progress, TimeSpan interval, DateTime now)
    {
        if (progress is not null || state?.Status == SyncStatusKind.Running)
            return SyncHealth.Syncing;
        if (state?.Status == SyncStatusKind.Failed)
            return SyncHealth.Failed;
        if (state?.LastSuccessAt is not DateTime success)
            return SyncHealth.Never;
        return IsLate(success, interval, now) ? SyncHealth.Late : SyncHealth.OnTime;
    }

    /// <summary>Late: not confirmed for more than twice its interval.</summary>
    public static bool IsLate(DateTime lastSuccess, TimeSpan interval, DateTime now) => now - lastSuccess > interval * 2;
}

public sealed record SyncStatusResult(IReadOnlyList<EntitySyncStatus> Entities)
{
    public bool IsSyncing => Entities.Any(e => e.State == SyncHealth.Syncing);
}
