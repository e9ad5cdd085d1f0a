using Klaviyo.GraphQL.Coordination;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Coordination;

/// <summary>One of several instances on one database (and one Redis when given), with a short lease so that tests see hand-overs quickly.</summary>
public sealed class CoordinatedInstance : SandboxApiFactory
{
    public CoordinatedInstance(string databasePath, string id, string? redis = null)
        : base(databasePath)
    {
        With("Coordination:Enabled", "true").With("Coordination:InstanceId", id).With("Coordination:Address", $"http://{id.ToLowerInvariant()}.local")
            .With("Coordination:LeaseTtl", "00:00:03").With("Coordination:RenewEvery", "00:00:00.500")
            .With("Sandbox:LiveEventInterval", "00:01:00");
        if (redis is not null)
            With("Coordination:Redis", redis);
        KeepDatabase = true; // shared: deleted once, by the test
    }

    public LeaderLease Lease => Service<LeaderLease>();

    /// <summary>Waits until both agree on one leader; returns it first.</summary>
    public static async Task<(CoordinatedInstance Leader, CoordinatedInstance Follower)> LeaderOfAsync(CoordinatedInstance a, CoordinatedInstance b)
    {
        await Wait.UntilAsync(() => (a.Lease.IsLeader ^ b.Lease.IsLeader) && a.Lease.LeaderId == b.Lease.LeaderId && a.Lease.LeaderId is not null);
        return a.Lease.IsLeader ? (a, b) : (b, a);
    }

    /// <summary>A factory never started, on the same database, deletes it (file or PostgreSQL database) when disposed.</summary>
    public static void DeleteDatabase(string databasePath) => new CoordinatedInstance(databasePath, "cleanup") { KeepDatabase = false }.Dispose();
}
