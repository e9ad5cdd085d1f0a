using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;

namespace Klaviyo.Tests.Coordination;

/// <summary>Two instances on one database and one Redis: what the leader's sync does reaches the follower's clients, and the follower answers with it.</summary>
public sealed class CrossInstanceEventTests : IDisposable
{
    private readonly CoordinatedPair _pair = new();

    public void Dispose() => _pair.Dispose();

    private const string Orders = "{ overview(range: { preset: LAST_30_DAYS }) { orders { value } } }";

    [Fact]
    public async Task A_sync_on_the_leader_reaches_the_followers_subscribers_and_the_follower_then_answers_with_its_data()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        await leader.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Profiles, SyncEntity.Events);
        var before = (await follower.GraphQL().QueryAsync(Orders))["overview"]!["orders"]!["value"]!.GetValue<double>();
        var heard = new TaskCompletionSource<DataChangedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscriber = follower.Service<EventBus>().Observe<DataChangedEvent>().Subscribe(e => heard.TrySetResult(e));

        foreach (var instance in new[] { leader, follower })
            instance.Clock.Advance(TimeSpan.FromHours(6)); // 360 new events, orders among them
        var run = await leader.SyncAsync(SyncEntity.Events);

        var changed = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([SyncEntity.Events], changed.Entities);
        Assert.Equal((run.Id, run.Records), (changed.RunId, changed.Records));
        var after = (await follower.GraphQL().QueryAsync(Orders))["overview"]!["orders"]!["value"]!.GetValue<double>();
        var leaders = (await leader.GraphQL().QueryAsync(Orders))["overview"]!["orders"]!["value"]!.GetValue<double>();
        Assert.True(after > before, $"the follower still answered {after} orders after the leader's sync (before: {before})");
        Assert.Equal(leaders, after);
    }

    /// <summary>Every query the dashboard sends (its own documents), with the variables it sends (a closed range: one ending now ends at each reader's own now).</summary>
    private static readonly (string Operation, object? Variables)[] DashboardQueries =
    [
        ("Overview", new { range = new { start = DateTime.UtcNow.Date.AddDays(-3).ToString("O"), end = DateTime.UtcNow.Date.ToString("O") }, compareTo = "PREVIOUS_PERIOD" }),
        ("Campaigns", new { first = 25 }), ("Flows", new { first = 25 }), ("Forms", new { first = 25 }),
        ("Lists", new { first = 25 }), ("Segments", new { first = 25 }), ("ConversionMetrics", null), ("SyncStatus", null),
    ];

    [Fact]
    public async Task What_one_instance_computed_the_other_reads_from_Redis_labelled_CACHE_and_equal_to_the_original()
    {
        var (leader, follower) = await _pair.LeaderAsync();
        Assert.True(leader.Service<IFusionCache>().HasDistributedCache && leader.Service<IFusionCache>().HasBackplane);
        await leader.SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Forms,
            SyncEntity.Segments, SyncEntity.Lists, SyncEntity.Profiles, SyncEntity.Events, SyncEntity.CampaignReports, SyncEntity.FlowReports, SyncEntity.FormReports);

        var missesBefore = follower.Service<CacheStatistics>().Misses;
        foreach (var (operation, variables) in DashboardQueries)
        {
            var query = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "Klaviyo.Web", "Client", "Operations", operation + ".graphql"));
            var computed = await leader.GraphQL().QueryAsync(query, variables);
            var read = await follower.GraphQL().QueryAsync(query, variables);
            // The follower never computed it: its copy came from Redis, as the leader wrote it.
            Assert.DoesNotContain("\"LIVE\"", read.ToJsonString());
            Assert.Contains("\"CACHE\"", read.ToJsonString());
            Assert.Equal(Unlabelled(computed), Unlabelled(read));
        }
        Assert.Equal(missesBefore, follower.Service<CacheStatistics>().Misses); // nothing the leader had stored was computed again
    }

    private static string Unlabelled(JsonNode data) => Regex.Replace(data.ToJsonString(), "\"dataSource\":\"[A-Z]+\"", "");

    [Fact]
    public async Task An_error_the_leader_raises_is_on_the_followers_board_and_its_resolution_too()
    {
        var (leader, follower) = await _pair.LeaderAsync();

        leader.SetFaults(new global::Klaviyo.Sandbox.SandboxFaults { InvalidKey = true });
        Assert.Equal(SyncRunOutcome.Failed, (await leader.SyncAsync(SyncEntity.Metrics)).Outcome);
        var board = follower.Service<ApiErrorBoard>();
        await Wait.UntilAsync(() => board.Current.Any(e => e.Code == "KLAVIYO_AUTH" && e.Entity == SyncEntity.Metrics));

        leader.SetFaults(new global::Klaviyo.Sandbox.SandboxFaults());
        Assert.Equal(SyncRunOutcome.Succeeded, (await leader.SyncAsync(SyncEntity.Metrics)).Outcome);
        await Wait.UntilAsync(() => board.IsEmpty);
    }
}

public sealed class SingleInstanceTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_coordination_the_instance_leads_alone_and_opens_no_Redis_connection()
    {
        Assert.Null(factory.Services.GetService(typeof(RedisEventBridge)));
        Assert.DoesNotContain(factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is RedisEventBridge);
        Assert.Null(factory.Services.GetService(typeof(RedisConnection)));
        Assert.False(factory.Service<IFusionCache>().HasDistributedCache || factory.Service<IFusionCache>().HasBackplane);
        var lease = factory.Service<LeaderLease>();
        Assert.True(lease.IsLeader);
        Assert.Equal(0, lease.Epoch);
        var instance = (await factory.GraphQL().QueryAsync("{ diagnostics { instance { coordinated isLeader epoch } } }"))["diagnostics"]!["instance"]!;
        Assert.Equal((false, true, 0L), (instance["coordinated"]!.GetValue<bool>(), instance["isLeader"]!.GetValue<bool>(), instance["epoch"]!.GetValue<long>()));
    }
}
