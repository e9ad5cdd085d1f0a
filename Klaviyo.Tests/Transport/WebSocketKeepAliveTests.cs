using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport.WebSockets;
using Klaviyo.Tests.Infrastructure;
using Klaviyo.Tests.Security;

namespace Klaviyo.Tests.Transport;

/// <summary>Server pings keep an authenticated socket alive; a client that stops answering them is closed (4504).</summary>
public sealed class WebSocketKeepAliveTests(WebSocketKeepAliveTests.Factory factory) : IClassFixture<WebSocketKeepAliveTests.Factory>
{
    public sealed class Factory : SecuredApiFactory
    {
        public Factory()
        {
            With("GraphQL:KeepAliveInterval", "00:00:00.200");
            With("Security:Sockets:PongTimeout", "00:00:00.500");
        }
    }

    [Fact]
    public async Task A_socket_with_a_key_is_acknowledged_and_kept_alive_while_it_answers_pings()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = $"Bearer {factory.KeyFor(Roles.Viewer)}" });
        // Answering three pings spans more than the pong timeout: the socket stays open.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ping", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
            await client.SendAsync(new { type = "pong" });
        }
        await client.SendAsync(new { type = "ping" });
        await client.ReceiveAsync("pong");
    }

    [Fact]
    public async Task A_socket_that_never_answers_pings_is_closed_with_4504()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory, new { authorization = $"Bearer {factory.KeyFor(Roles.Viewer)}" });
        Assert.Equal(CloseCodes.PongTimeout, await client.ClosedWithAsync());
    }
}
