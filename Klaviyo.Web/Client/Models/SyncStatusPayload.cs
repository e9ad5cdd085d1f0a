namespace Klaviyo.Web.Client.Models;

public sealed record SyncStatusData(SyncStatusPayload SyncStatus);

public sealed record SyncStatusPayload(IReadOnlyList<EntitySyncStatus> Entities, bool IsSyncing, DateTime? LastUpdated, DataSource DataSource) : IFreshPayload;

public sealed record EntitySyncStatus(
    SyncEntity Entity, SyncState State, DateTime? LastSuccessAt, DateTime? LastAttemptAt, int RecordCount,
    string? LastError, DateTime? NextRunAt, SyncProgress? Progress);

public sealed record SyncProgress(string RunId, SyncEntity Entity, long Processed, long? Total, int Pages, double Rate, DateTime? Eta, DateTime At);

public sealed record SyncProgressData(SyncProgress SyncProgress);

public enum SyncState
{
    OnTime,
    Late,
    Syncing,
    Failed,
    Never,
}
