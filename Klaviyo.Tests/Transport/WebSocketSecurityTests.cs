using System.Net;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Transport;

/// <summary>With GraphQL:AccessToken set, HTTP needs a bearer token and sockets send it in connection_init.</summary>
public sealed class AccessTokenTests(AccessTokenTests.Factory factory) : IClassFixture<AccessTokenTests.Factory>
{
    public sealed class Factory : ApiFactory
    {
        public Factory() => With("GraphQL:AccessToken", "s3cret-token").With("GraphQL:KeepAliveInterval", "00:00:00.200");
    }

    [Fact]
    public async Task HTTP_without_the_token_gets_401_and_with_it_200()
    {
        var client = factory.GraphQL();
        var refused = await client.PostAsync("{ __typename }");
        client.Http.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret-token");
        var allowed = await client.PostAsync("{ __typename }");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("Bearer", refused.Message.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
    }

    [Fact]
    public async Task A_socket_initialised_without_the_token_closes_with_4403()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(factory);
        await client.SendAsync(new { type = "connection_init", payload = new { authorization = "Bearer wrong" } });
        Assert.Equal(4403, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_socket_with_the_token_is_acknowledged_and_kept_alive_with_server_pings()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = "Bearer s3cret-token" });
        var ping = await client.ReceiveAsync();
        Assert.Equal("ping", ping!["type"]!.GetValue<string>());
    }
}
