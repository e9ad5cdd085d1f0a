using Klaviyo.Core.Errors;

namespace Klaviyo.Core.Coordination;

/// <summary>A sync asked of an instance that does not hold the sync lease: the client retries on the leader, or shortly (while there is none).</summary>
public sealed class NotLeaderError(LeaderLease lease, string? message = null) : AppError(
    message ?? (lease.LeaderId is null
        ? "No instance leads the sync right now (the lease is changing hands); retry in a few seconds."
        : $"This instance does not run syncs; instance {lease.LeaderId} does" + (lease.LeaderAddress is null ? "." : $" at {lease.LeaderAddress}.")),
    ErrorCodes.NotLeader,
    new Dictionary<string, object?> { ["leader"] = lease.LeaderId, ["leaderAddress"] = lease.LeaderAddress, ["retryable"] = true });
