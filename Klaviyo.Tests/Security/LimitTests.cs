using System.Net;
using System.Text;
using System.Text.Json;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Security;

/// <summary>Rate limits, socket caps, a bounded send queue and bounded statistics: what keeps one client from hurting the others.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task Too_many_requests_get_429_with_Retry_After_per_identity()
    {
        await using var factory = new SecuredApiFactory();
        factory.With("Security:RateLimits:Enabled", "true").With("Security:RateLimits:RequestsPerMinute", "6");
        var viewer = factory.GraphQLAs(Roles.Viewer);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            statuses.Add((await viewer.PostAsync("{ me { role } }")).Status);
        Assert.Equal(6, statuses.Count(s => s == HttpStatusCode.OK));
        var limited = await viewer.PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(int.Parse(limited.Message.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("RATE_LIMITED", limited.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
        // Another identity has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await factory.GraphQLAs(Roles.Admin).PostAsync("{ me { role } }")).Status);
    }

    [Fact]
    public async Task Mutations_and_refreshData_have_tighter_limits_over_both_transports()
    {
        await using var factory = new SecuredApiFactory();
        factory.With("Security:RateLimits:Enabled", "true").With("Security:RateLimits:MutationsPerMinute", "3").With("Security:RateLimits:RefreshesPerMinute", "1");
        var operatorClient = factory.GraphQLAs(Roles.Operator);
        for (var i = 0; i < 3; i++)
            await operatorClient.QueryAsync(AuthorizationTests.OperatorMutation);
        var limited = await operatorClient.PostAsync(AuthorizationTests.OperatorMutation);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.NotNull(limited.Message.Headers.RetryAfter);
        // Queries are not mutations.
        await operatorClient.QueryAsync("{ me { role } }");

        const string refresh = "mutation { refreshData(input: { scopes: [METRICS] }) { scopes } }";
        var admin = factory.GraphQLAs(Roles.Admin);
        await admin.QueryAsync(refresh);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.PostAsync(refresh)).Status);

        await using var socket = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = $"Bearer {factory.KeyFor(Roles.Admin)}" });
        await socket.SubscribeAsync("r", refresh);
        var error = await socket.ReceiveAsync("error");
        Assert.Equal("RATE_LIMITED", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sockets_are_capped_per_identity()
    {
        await using var factory = new SecuredApiFactory();
        factory.With("Security:Sockets:MaxPerIdentity", "2");
        var key = factory.KeyFor(Roles.Viewer);
        void WithKey(Microsoft.AspNetCore.Http.HttpRequest r) => r.Headers.Authorization = $"Bearer {key}";
        await using var first = await GraphQLWebSocketClient.ConnectAsync(factory, configure: WithKey);
        await using var second = await GraphQLWebSocketClient.ConnectAsync(factory, configure: WithKey);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => GraphQLWebSocketClient.ConnectAsync(factory, configure: WithKey));
        Assert.Contains("429", refused.Message);
        await using var other = await GraphQLWebSocketClient.ConnectAsync(factory, configure: r => r.Headers.Authorization = $"Bearer {factory.KeyFor(Roles.Admin)}");
    }

    [Fact]
    public async Task A_cross_site_WebSocket_or_POST_is_refused_before_anything_runs()
    {
        await using var factory = new ApiFactory();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => GraphQLWebSocketClient.ConnectAsync(factory, configure: r => r.Headers.Origin = "http://evil.example"));
        Assert.Contains("403", refused.Message);
        await using (await GraphQLWebSocketClient.ConnectAsync(factory, configure: r => r.Headers.Origin = "http://localhost"))
        {
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"mutation { startSync(input: { entities: [EVENTS], mode: FULL }) { run { id } } }"}""", Encoding.UTF8, "application/json") };
        post.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClient().SendAsync(post)).StatusCode);
        Assert.False(factory.Service<SyncCoordinator>().IsRunning(SyncEntity.Events));
    }

    [Fact]
    public async Task Random_operation_names_leave_statistics_and_memory_bounded()
    {
        await using var factory = new ApiFactory();
        var client = factory.GraphQL();
        await client.QueryAsync("{ __typename }");
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var name = "Op" + new string((char)('a' + random.Next(26)), 1) + Guid.NewGuid().ToString("N") + new string('x', 100 * 1024 - 40);
            var response = await client.SendRawAsync(JsonSerializer.Serialize(new { query = $"query {name} {{ __typename }}", operationName = name }));
            Assert.Equal(HttpStatusCode.OK, response.Status);
        }
        var statistics = factory.Service<RequestStatistics>();
        Assert.True(statistics.Operations.Count <= RequestStatistics.MaxOperations + 1, $"{statistics.Operations.Count} operations kept");
        Assert.All(statistics.Operations, o => Assert.True(o.Name.Length <= RequestStatistics.MaxNameLength));
        Assert.Contains(statistics.Operations, o => o.Name == RequestStatistics.Other && o.Count >= 2800);
        GC.Collect();
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.True(grown < 64L * 1024 * 1024, $"grew {grown / 1024 / 1024} MB");
    }
}
