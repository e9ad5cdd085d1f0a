using System.Net;
using System.Net.Http.Json;
using Klaviyo.Api;
using Klaviyo.Core.Security;
using Klaviyo.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Tests.Security;

/// <summary>How the app decides between open-on-loopback and sign-in, and the checks that come with each.</summary>
public sealed class ModeTests
{
    [Fact]
    public async Task Without_authentication_the_dashboard_refuses_to_listen_on_a_network_address_and_names_the_setting()
    {
        var (exitCode, output) = await DashboardProcess.RunAsync(["--urls", "http://0.0.0.0:0"]);
        Assert.Equal(1, exitCode);
        Assert.Contains("Not started: Refusing to listen on http://0.0.0.0:0 without authentication", output);
        Assert.Contains("Security:AllowAnonymous", output);
        Assert.Contains("create-admin", output);
    }

    [Fact]
    public async Task AllowAnonymous_serves_the_network_as_Viewers()
    {
        await using var factory = new ApiFactory().With("urls", "http://0.0.0.0:5999").With("Security:AllowAnonymous", "true");
        var client = factory.GraphQL();
        Assert.Equal("VIEWER", (await client.QueryAsync("{ me { role } }"))["me"]!["role"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", await client.ErrorCodeAsync(AuthorizationTests.OperatorMutation));
    }

    [Fact]
    public async Task On_loopback_without_authentication_the_local_user_is_Admin_and_only_loopback_host_names_are_answered()
    {
        await using var factory = new ApiFactory();
        var client = factory.GraphQL();
        Assert.Equal("ADMIN", (await client.QueryAsync("{ me { role } }"))["me"]!["role"]!.GetValue<string>());
        Assert.True(factory.Service<SecurityMode>().LoopbackOnly);

        using var rebound = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query = "{ me { role } }" }) };
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().SendAsync(rebound)).StatusCode);
    }

    [Fact]
    public async Task A_configured_GraphQL_AccessToken_stops_the_start_with_how_to_migrate()
    {
        var (exitCode, output) = await DashboardProcess.RunAsync([], ("GraphQL__AccessToken", "old-shared-token"));
        Assert.Equal(1, exitCode);
        Assert.Contains("createApiKey", output);
        Assert.DoesNotContain("old-shared-token", output);
    }

    [Fact]
    public async Task A_bootstrap_admin_turns_sign_in_on_and_can_sign_in()
    {
        await using var factory = new ApiFactory().With("Security:BootstrapAdmin:Email", "owner@example.com").With("Security:BootstrapAdmin:Password", "a long enough password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.GraphQL().PostAsync("{ me { role } }")).Status);
        Assert.True(factory.Service<SecurityMode>().SignInRequired);
        await using var db = factory.OpenDatabaseDirectly();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Theory]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://127.0.0.1:80", true)]
    [InlineData("https://[::1]:443", true)]
    [InlineData("http://0.0.0.0:80", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://[::]:80", false)]
    [InlineData("http://dashboard.example.com", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    public void Loopback_addresses_are_told_apart(string address, bool loopback) => Assert.Equal(loopback, ListenAddresses.IsLoopback(address));
}
