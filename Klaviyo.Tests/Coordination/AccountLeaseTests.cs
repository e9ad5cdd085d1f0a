using Klaviyo.Core.Accounts;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Testing;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Coordination;

/// <summary>Connected accounts on two coordinated instances: a lease per account, spread over the instances, taken over when one stops.</summary>
public sealed class AccountLeaseTests : IDisposable
{
    private static readonly string[] Names = ["London", "Paris", "Tokyo"];

    private readonly CoordinatedPair _pair = new(configure: instance =>
    {
        instance.With("Sandbox:Accounts:London:Currency", "GBP").With("Sandbox:Accounts:London:Timezone", "Europe/London")
            .With("Sandbox:Accounts:Paris:Currency", "EUR").With("Sandbox:Accounts:Paris:Timezone", "Europe/Paris")
            .With("Sandbox:Accounts:Tokyo:Currency", "JPY").With("Sandbox:Accounts:Tokyo:Timezone", "Asia/Tokyo");
    });

    public void Dispose()
    {
        _pair.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_pair.DatabasePath)!, Path.GetFileNameWithoutExtension(_pair.DatabasePath) + ".*"))
            File.Delete(file);
    }

    private async Task<string[]> AddAccountsAsync()
    {
        var ids = new List<string>();
        foreach (var name in Names)
        {
            var added = await _pair.A.GraphQL().QueryAsync($"mutation {{ addAccount(input: {{ apiKey: \"pk_sandbox_local_{name.ToLowerInvariant()}\" }}) {{ id }} }}");
            ids.Add(added["addAccount"]!["id"]!.GetValue<string>());
        }
        return [.. ids];
    }

    private static LeaderLease? LeaseOf(CoordinatedInstance instance, string account) =>
        instance.Service<AccountShells>().ServicesOf(account)?.GetRequiredService<LeaderLease>();

    /// <summary>For each account, the instances whose shell of it says it leads.</summary>
    private static Dictionary<string, string[]> Leaders(string[] accounts, params CoordinatedInstance[] instances) =>
        accounts.ToDictionary(a => a, a => instances.Where(i => LeaseOf(i, a)?.IsLeader == true).Select(i => i.Lease.InstanceId).ToArray());

    private bool Settled(string[] accounts) =>
        Leaders(accounts, _pair.A, _pair.B) is var leaders && accounts.All(a =>
            _pair.A.Service<InstanceRegistry>().OwnerOf(a) is { } owner && _pair.B.Service<InstanceRegistry>().OwnerOf(a) == owner
            && leaders[a] is [var leader] && leader == owner
            && LeaseOf(_pair.A, a)?.LeaderId == owner && LeaseOf(_pair.B, a)?.LeaderId == owner);

    [Fact]
    public async Task Accounts_added_on_one_instance_spread_over_both_with_one_leader_each()
    {
        var accounts = await AddAccountsAsync();

        // B starts the accounts A added on its next look; owners shift as the accounts arrive one by one, then
        // settle: both instances assign each account to the same one, which alone leads it, as both have read.
        await Wait.UntilAsync(() => Settled(accounts), TimeSpan.FromSeconds(15));
        var leaders = Leaders(accounts, _pair.A, _pair.B);
        Assert.Equal(["A", "B"], leaders.Values.Select(l => l[0]).Distinct().Order());
        Assert.InRange(leaders.Values.Count(l => l[0] == "A"), 1, 2);

        // Both instances name the same leader of each account, in its diagnostics.
        foreach (var account in accounts)
        {
            var seen = await Task.WhenAll(new[] { _pair.A, _pair.B }.Select(async i =>
                (await i.GraphQL().QueryAsync($"{{ diagnostics(accountId: \"{account}\") {{ instance {{ leaderId }} }} }}"))["diagnostics"]!["instance"]!["leaderId"]!.GetValue<string>()));
            Assert.Equal([leaders[account][0], leaders[account][0]], seen);
        }

        // One query says who syncs every account: the deployment's own first, then the added ones.
        var table = (await _pair.B.GraphQL().QueryAsync("{ diagnostics { instance { accountLeases { accountId holder syncedHere owner } } } }"))["diagnostics"]!["instance"]!["accountLeases"]!.AsArray();
        Assert.Equal(["default", .. accounts.Order(StringComparer.Ordinal)], table.Select(l => l!["accountId"]!.GetValue<string>()));
        foreach (var lease in table.Skip(1))
        {
            var leader = leaders[lease!["accountId"]!.GetValue<string>()][0];
            Assert.Equal((leader, leader, leader == "B"), (lease["holder"]!.GetValue<string>(), lease["owner"]!.GetValue<string>(), lease["syncedHere"]!.GetValue<bool>()));
        }
    }

    [Fact]
    public async Task A_stopped_instances_accounts_are_taken_over_by_the_other_and_synced_there()
    {
        var accounts = await AddAccountsAsync();
        await Wait.UntilAsync(() => Settled(accounts), TimeSpan.FromSeconds(15));
        var fromB = Leaders(accounts, _pair.B).Where(p => p.Value.Length == 1).Select(p => p.Key).ToArray();

        _pair.B.Dispose(); // a graceful stop: B leaves the live instances and releases its leases
        await Wait.UntilAsync(() => Leaders(accounts, _pair.A).Values.All(l => l.Length == 1), TimeSpan.FromSeconds(10));

        // A syncs what B synced, fenced by the account's own lease.
        var services = _pair.A.Service<AccountShells>().ServicesOf(fromB[0])!;
        var run = await services.GetRequiredService<SyncCoordinator>().StartAndWaitAsync([SyncEntity.Metrics]);
        await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();
        Assert.Equal(SyncRunOutcome.Succeeded, (await db.SyncRuns.SingleAsync(r => r.Id == run.Run!.Id)).Outcome);
        Assert.True(services.GetRequiredService<LeaderLease>().Epoch >= 2, "the lease changed hands at least twice (B took it, A took it back)");
    }

    [Fact]
    public async Task A_paused_accounts_shell_leaves_the_instances_Redis_connection_open_for_the_others()
    {
        var accounts = await AddAccountsAsync();
        await Wait.UntilAsync(() => Settled(accounts), TimeSpan.FromSeconds(15));

        // Pausing stops the account's shell here, disposing its cache with its Redis levels: they closed the one
        // connection of the process (the deployment's and every other account's) until they were given one they cannot close.
        await _pair.A.Service<ConnectedAccounts>().SetPausedAsync(accounts[0], paused: true, "test", CancellationToken.None);

        var redis = await _pair.A.Service<RedisConnection>().GetAsync();
        Assert.True(await redis.GetDatabase().PingAsync() >= TimeSpan.Zero);
        // Another account's cache still reaches Redis: a value one instance sets, the other reads from the second level.
        var other = accounts[1];
        var cacheA = _pair.A.Service<AccountShells>().ServicesOf(other)!.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>();
        var cacheB = _pair.B.Service<AccountShells>().ServicesOf(other)!.GetRequiredService<ZiggyCreatures.Caching.Fusion.IFusionCache>();
        await cacheA.SetAsync("redis-probe", 42, new ZiggyCreatures.Caching.Fusion.FusionCacheEntryOptions { Size = 1 });
        Assert.Equal(42, await cacheB.GetOrDefaultAsync<int>("redis-probe"));
    }
}
