using GraphQL;
using Klaviyo.GraphQL.GraphQL.Errors;

namespace Klaviyo.GraphQL.Coordination;

/// <summary>A sync asked of an instance that does not hold the sync lease: the client retries on the leader, or shortly (while there is none).</summary>
public sealed class NotLeaderError : ExecutionError
{
    public NotLeaderError(LeaderLease lease, string? message = null)
        : base(message ?? (lease.LeaderId is null
            ? "No instance leads the sync right now (the lease is changing hands); retry in a few seconds."
            : $"This instance does not run syncs; instance {lease.LeaderId} does" + (lease.LeaderAddress is null ? "." : $" at {lease.LeaderAddress}.")))
    {
        Code = ErrorCodes.NotLeader;
        Extensions = new Dictionary<string, object?> { ["leader"] = lease.LeaderId, ["leaderAddress"] = lease.LeaderAddress, ["retryable"] = true };
    }
}
