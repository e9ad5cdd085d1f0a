using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Klaviyo.Core.Hosting;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport.WebSockets;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Security;

/// <summary>
/// The transport's security properties on Kestrel over real TCP — not TestServer, whose client
/// installs the WebSocket feature up front and has no peer address: the origin check on upgrades,
/// who the local Admin is, forwarded headers from trusted proxies only, and credentials that stop
/// working on sockets already open.
/// </summary>
public sealed class KestrelTransportSecurityTests
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(2);
    private const string DataChanged = "subscription { dataChanged { entities } }";

    private static Uri Start(ApiFactory factory)
    {
        factory.UseKestrel(0);
        factory.StartServer();
        return factory.Services.GetRequiredService<IServer>().LocalBase();
    }

    private static HttpClient Http(Uri server, string? bearer = null)
    {
        var http = new HttpClient { BaseAddress = server };
        if (bearer is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return http;
    }

    private static HttpRequestMessage Me(Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = JsonContent.Create(new { query = "{ me { role } }" }) };
        headers?.Invoke(request.Headers);
        return request;
    }

    [Fact]
    public async Task A_WebSocket_upgrade_from_a_foreign_origin_is_refused_with_403_before_the_upgrade()
    {
        await using var factory = new ApiFactory();
        var server = Start(factory);

        using var foreign = new ClientWebSocket();
        foreign.Options.AddSubProtocol("graphql-transport-ws");
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        foreign.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri($"ws://{server.Authority}/graphql"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        // The same upgrade as raw HTTP/1.1: 403, never 101.
        using var http = Http(server);
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "graphql");
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Origin", "http://evil.example");
        using var refused = await http.SendAsync(upgrade);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The app's own origin opens, and the local caller is acknowledged.
        await using var own = await GraphQLWebSocketClient.ConnectOverTcpAsync(server, o => o.SetRequestHeader("Origin", $"http://{server.Authority}"));
        await own.SendAsync(new { type = "connection_init" });
        await own.ReceiveAsync("connection_ack");
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("X-Forwarded-Host", "localhost")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("Forwarded", "for=203.0.113.7;host=localhost")]
    [InlineData("Via", "1.1 nginx")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task The_local_Admin_is_a_direct_loopback_peer_never_a_request_a_proxy_relayed(string header, string value)
    {
        await using var factory = new ApiFactory();
        using var http = Http(Start(factory));

        using var direct = await http.SendAsync(Me());
        Assert.Equal("ADMIN", (await direct.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["me"]!["role"]!.GetValue<string>());

        using var relayed = await http.SendAsync(Me(h =>
        {
            h.Host = "localhost";
            h.TryAddWithoutValidation(header, value);
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, relayed.StatusCode);

        // A relayed socket is not the local Admin either: the handshake is refused.
        await using var socket = await GraphQLWebSocketClient.ConnectOverTcpAsync(factory.Services.GetRequiredService<IServer>().LocalBase(), o => o.SetRequestHeader(header, value));
        await socket.SendAsync(new { type = "connection_init" });
        Assert.Equal(CloseCodes.Unauthorized, await socket.ClosedWithAsync());
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_socket_caps_count_the_forwarded_client_and_an_untrusted_peers_header_is_ignored()
    {
        static async Task<HttpStatusCode> OpenAsync(Uri server, string client, List<ClientWebSocket> open)
        {
            var socket = new ClientWebSocket();
            socket.Options.AddSubProtocol("graphql-transport-ws");
            socket.Options.SetRequestHeader("X-Forwarded-For", client);
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(new Uri($"ws://{server.Authority}/graphql"), CancellationToken.None);
                open.Add(socket);
            }
            catch (WebSocketException)
            {
            }
            return socket.HttpStatusCode;
        }

        var open = new List<ClientWebSocket>();
        try
        {
            await using var trusting = new ApiFactory().With("Security:TrustedProxies:0", "127.0.0.1").With("Security:TrustedProxies:1", "::1").With("Security:Sockets:MaxPerIdentity", "1");
            var server = Start(trusting);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenAsync(server, "203.0.113.1", open));
            Assert.Equal(HttpStatusCode.TooManyRequests, await OpenAsync(server, "203.0.113.1", open));
            Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenAsync(server, "203.0.113.2", open));

            // Nobody trusted: the header is the client's own words, and every socket counts as the peer.
            await using var untrusting = new ApiFactory().With("Security:Sockets:MaxPerIdentity", "1");
            var other = Start(untrusting);
            Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenAsync(other, "203.0.113.1", open));
            Assert.Equal(HttpStatusCode.TooManyRequests, await OpenAsync(other, "203.0.113.2", open));
        }
        finally
        {
            foreach (var socket in open)
                socket.Dispose();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_revoked_API_keys_open_socket_is_closed_with_4403_within_two_seconds(bool keyInUpgradeHeader)
    {
        await using var factory = new SecuredApiFactory();
        var server = Start(factory);
        var keys = factory.Service<ApiKeyService>();
        var created = await keys.CreateAsync("to revoke", Roles.Admin, null, "tests", CancellationToken.None);

        await using var socket = await GraphQLWebSocketClient.ConnectOverTcpAsync(server,
            o => { if (keyInUpgradeHeader) o.SetRequestHeader("Authorization", $"Bearer {created.Secret}"); });
        await socket.SendAsync(new { type = "connection_init", payload = keyInUpgradeHeader ? null : new { authorization = $"Bearer {created.Secret}" } });
        await socket.ReceiveAsync("connection_ack");
        await socket.SubscribeAsync("changes", DataChanged);

        // Revoked by another Admin over the API, as a person would.
        using var admin = Http(server, factory.KeyFor(Roles.Admin));
        var clock = Stopwatch.StartNew();
        using var revoked = await admin.PostAsJsonAsync("graphql", new { query = "mutation($id: ID!) { revokeApiKey(id: $id) { active } }", variables = new { id = created.Key.Id } });
        revoked.EnsureSuccessStatusCode();
        Assert.Equal(CloseCodes.Forbidden, await socket.ClosedWithAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < RevocationDeadline, $"closed {clock.Elapsed.TotalSeconds:F2} s after the revocation");

        using var after = Http(server, created.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.SendAsync(Me())).StatusCode);
    }

    [Theory]
    [InlineData("demote")]
    [InlineData("lock")]
    [InlineData("delete")]
    public async Task A_users_socket_and_dashboard_token_stop_working_when_the_user_is_demoted_locked_or_deleted(string change)
    {
        await using var factory = new SecuredApiFactory();
        var server = Start(factory);
        string token;
        IdentityUser user;
        using (var scope = factory.Services.CreateScope())
        {
            user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync("marketer@example.com", "a long enough password", Roles.Admin, CancellationToken.None);
            var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<IdentityUser>>().CreateUserPrincipalAsync(user);
            token = factory.Service<DashboardTokens>().Mint(principal)!;
        }
        using var http = Http(server, token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Me())).StatusCode);
        await using var socket = await GraphQLWebSocketClient.ConnectOverTcpAsync(server);
        await socket.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } });
        await socket.ReceiveAsync("connection_ack");
        await socket.SubscribeAsync("changes", DataChanged);

        var clock = Stopwatch.StartNew();
        using (var scope = factory.Services.CreateScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var stored = await accounts.FindAsync(user.Id);
            await (change switch
            {
                "demote" => accounts.SetRoleAsync(stored, Roles.Viewer),
                "lock" => accounts.SetLockedAsync(stored, true),
                _ => accounts.DeleteAsync(stored),
            });
        }
        Assert.Equal(CloseCodes.Forbidden, await socket.ClosedWithAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < RevocationDeadline, $"closed {clock.Elapsed.TotalSeconds:F2} s after the change");
        // The token the circuit minted before the change is refused from now on.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(Me())).StatusCode);
    }

    [Fact]
    public async Task The_first_API_key_created_at_runtime_ends_anonymous_access_at_once_and_closes_anonymous_sockets()
    {
        await using var factory = new ApiFactory();
        var server = Start(factory);
        using var anonymous = Http(server);
        await using var socket = await GraphQLWebSocketClient.ConnectOverTcpAsync(server);
        await socket.SendAsync(new { type = "connection_init" });
        await socket.ReceiveAsync("connection_ack");
        await socket.SubscribeAsync("changes", DataChanged);

        using var created = await anonymous.PostAsJsonAsync("graphql", new { query = "mutation { createApiKey(input: { name: \"first\", role: ADMIN }) { secret } }" });
        var secret = (await created.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["createApiKey"]!["secret"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Me())).StatusCode);
        Assert.Equal(CloseCodes.Forbidden, await socket.ClosedWithAsync(TimeSpan.FromSeconds(5)));
        using var withKey = Http(server, secret);
        Assert.Equal(HttpStatusCode.OK, (await withKey.SendAsync(Me())).StatusCode);
        Assert.True(factory.Service<SecurityMode>().SignInRequired);
    }
}
