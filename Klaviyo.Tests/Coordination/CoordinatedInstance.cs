using Klaviyo.Core.Coordination;
using Klaviyo.Testing.Processes;
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

/// <summary>Two coordinated instances on one database (and one throwaway redis-server unless told otherwise), owned by one test.</summary>
public sealed class CoordinatedPair : IDisposable
{
    private readonly RedisServer? _redis;

    /// <param name="configure">Applied to each instance before it starts.</param>
    /// <param name="redisOptions">Added to the instances' Redis configuration (e.g. a longer asyncTimeout for a test that loads the machine).</param>
    public CoordinatedPair(bool redis = true, Action<CoordinatedInstance>? configure = null, string? redisOptions = null)
    {
        _redis = redis ? new RedisServer() : null;
        var configuration = _redis is null ? null : redisOptions is null ? _redis.Configuration : $"{_redis.Configuration},{redisOptions}";
        A = new CoordinatedInstance(DatabasePath, "A", configuration);
        configure?.Invoke(A);
        _ = A.Services; // migrated before the second starts
        B = new CoordinatedInstance(DatabasePath, "B", configuration);
        configure?.Invoke(B);
        _ = B.Services;
    }

    public string DatabasePath { get; } = ApiFactory.NewDatabasePath();
    public RedisServer Redis => _redis ?? throw new InvalidOperationException("This pair runs without Redis.");
    public CoordinatedInstance A { get; }
    public CoordinatedInstance B { get; }

    public Task<(CoordinatedInstance Leader, CoordinatedInstance Follower)> LeaderAsync() => CoordinatedInstance.LeaderOfAsync(A, B);

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        CoordinatedInstance.DeleteDatabase(DatabasePath);
        _redis?.Dispose();
    }
}
