using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Klaviyo.Core.Hosting;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport.WebSockets;
using Klaviyo.Testing.Processes;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Coordination;

/// <summary>A key revoked on one instance stops working on the other at once: its open socket there closes within 2 s, over Kestrel.</summary>
public sealed class CrossInstanceRevocationTests : IDisposable
{
    private readonly RedisServer _redis = new();
    private readonly string _database = ApiFactory.NewDatabasePath();

    /// <summary>An instance on the shared database and Redis, on Kestrel (the socket must be a real one).</summary>
    private sealed class Instance : ApiFactory
    {
        public Instance(string database, string id, string redis)
            : base(database)
        {
            With("Coordination:Enabled", "true").With("Coordination:InstanceId", id).With("Coordination:Redis", redis).With("Security:RequireSignIn", "true");
            KeepDatabase = true;
            UseKestrel(0);
            StartServer();
        }
    }

    public void Dispose()
    {
        new Instance(_database, "cleanup", _redis.Configuration) { KeepDatabase = false }.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task Revoking_a_key_on_one_instance_closes_its_socket_on_the_other_within_two_seconds()
    {
        await using var a = new Instance(_database, "A", _redis.Configuration);
        await using var instanceB = new Instance(_database, "B", _redis.Configuration);
        var keys = a.Service<ApiKeyService>();
        var created = await keys.CreateAsync("tool", Roles.Operator, null, "tests", CancellationToken.None);
        var b = instanceB.Services.GetRequiredService<IServer>().LocalBase();

        // B has validated the key (and remembers it for a moment) before it is revoked.
        using var http = new HttpClient { BaseAddress = b };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("graphql", new { query = "{ me { role } }" })).StatusCode);
        await using var socket = await GraphQLWebSocketClient.ConnectOverTcpAsync(b, o => o.SetRequestHeader("Authorization", $"Bearer {created.Secret}"));
        await socket.SendAsync(new { type = "connection_init" });
        await socket.ReceiveAsync("connection_ack");
        await socket.SubscribeAsync("changes", "subscription { dataChanged { entities } }");
        // Messages are handled in order: the pong says the subscription passed its own credential check,
        // so the close below can only come from the revocation notice A sends.
        await socket.SendAsync(new { type = "ping" });
        await socket.ReceiveAsync("pong");

        var clock = Stopwatch.StartNew();
        await keys.RevokeAsync(created.Key.Id, "tests", CancellationToken.None);
        Assert.Equal(CloseCodes.Forbidden, await socket.ClosedWithAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"B closed the socket {clock.Elapsed.TotalSeconds:F2} s after A revoked the key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("graphql", new { query = "{ me { role } }" })).StatusCode);
    }
}
