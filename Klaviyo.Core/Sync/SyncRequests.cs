using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

/// <summary>
/// A client's startSync, refreshData and cancelSync: run here when this instance leads (or is alone),
/// else forwarded to the leader over Redis (<see cref="SyncForwarding"/>; NOT_LEADER, retryable, when
/// there is no leader to ask).
/// </summary>
public sealed class SyncRequests(SyncCoordinator coordinator, LeaderLease lease, SyncForwarding? forwarding = null)
{
    public Task<SyncCoordinator.StartResult> StartAsync(IReadOnlyCollection<SyncEntity> entities, SyncMode mode, string trigger, CancellationToken cancellationToken) =>
        lease.IsLeader || forwarding is null
            ? coordinator.StartAsync(entities, mode, trigger, cancellationToken)
            : forwarding.StartOnLeaderAsync(entities, mode, trigger, cancellationToken);

    public Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken) =>
        coordinator.Cancel(runId) ? Task.FromResult(true)
        : lease.IsLeader || forwarding is null ? Task.FromResult(false)
        : forwarding.CancelOnLeaderAsync(runId, cancellationToken);
}
