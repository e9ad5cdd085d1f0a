using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Transport;

/// <summary>The graphql-transport-ws protocol, message by message and close code by close code.</summary>
public sealed class GraphQLWebSocketTests(GraphQLWebSocketTests.Factory factory) : IClassFixture<GraphQLWebSocketTests.Factory>
{
    public sealed class Factory : ApiFactory
    {
        public Factory() => With("GraphQL:ConnectionInitTimeout", "00:00:01").With("GraphQL:MaxMessageBytes", "4096");
    }

    [Fact]
    public async Task Handshake_negotiates_the_subprotocol_and_acknowledges_init()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        Assert.Equal("graphql-transport-ws", client.SubProtocol);
    }

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.ReceiveAsync("pong"))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_query_over_the_socket_gets_next_then_complete()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SubscribeAsync("q1", "{ __typename }");
        var next = await client.ReceiveAsync("next");
        var complete = await client.ReceiveAsync("complete");
        Assert.Equal("q1", next["id"]!.GetValue<string>());
        Assert.Equal("Query", next["payload"]!["data"]!["__typename"]!.GetValue<string>());
        Assert.Equal("q1", complete["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscriptions_push_every_bus_event_until_the_client_completes()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SubscribeAsync("s1", "subscription { dataChanged(scopes: [EVENTS]) { entities lastUpdated } }");
        var bus = factory.Service<EventBus>();
        var at = new DateTime(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);

        var message = await PublishUntilReceivedAsync(client,
            ignored: () => bus.Publish(new DataChangedEvent([SyncEntity.Campaigns], at, null, at, 1)),
            matching: () => bus.Publish(new DataChangedEvent([SyncEntity.Events, SyncEntity.Metrics], at, null, at, 1)));
        Assert.Equal("s1", message["id"]!.GetValue<string>());
        Assert.Equal(["EVENTS", "METRICS"], message["payload"]!["data"]!["dataChanged"]!["entities"]!.AsArray().Select(e => e!.GetValue<string>()));

        await client.SendAsync(new { id = "s1", type = "complete" });
        await client.SendAsync(new { type = "ping" });
        while ((await client.ReceiveAsync())!["type"]!.GetValue<string>() != "pong")
        {
            // The server handles messages in order: once it pongs, it has handled "complete".
        }
        var afterComplete = at.AddHours(1);
        bus.Publish(new DataChangedEvent([SyncEntity.Events], afterComplete, null, afterComplete, 1));
        await client.SendAsync(new { type = "ping" });
        // Events published while the subscription was being set up may still be queued; none may come from after "complete".
        for (var m = await client.ReceiveAsync(); m!["type"]!.GetValue<string>() != "pong"; m = await client.ReceiveAsync())
            Assert.NotEqual(afterComplete, m["payload"]!["data"]!["dataChanged"]!["lastUpdated"]!.GetValue<DateTime>().ToUniversalTime());
    }

    /// <summary>
    /// The subscription starts asynchronously after "subscribe"; publish a filtered-out event and
    /// then a matching one until the matching one arrives, so the test never sleeps.
    /// </summary>
    private static async Task<System.Text.Json.Nodes.JsonNode> PublishUntilReceivedAsync(GraphQLWebSocketClient client, Action ignored, Action matching)
    {
        var receive = client.ReceiveAsync("next");
        while (!receive.IsCompleted)
        {
            ignored();
            matching();
            await Task.WhenAny(receive, Task.Delay(50));
        }
        return await receive;
    }

    [Fact]
    public async Task An_invalid_subscription_gets_an_error_message_and_the_socket_stays_open()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SubscribeAsync("bad", "subscription { noSuchField }");
        var error = await client.ReceiveAsync("error");
        Assert.Equal("bad", error["id"]!.GetValue<string>());
        Assert.Equal("FIELDS_ON_CORRECT_TYPE", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        await client.SendAsync(new { type = "ping" });
        await client.ReceiveAsync("pong");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":\"x\"}")]
    [InlineData("{\"type\":\"unknown\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"x\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"\",\"payload\":{\"query\":\"{ __typename }\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"x\",\"payload\":\"{ __typename }\"}")]
    public async Task Invalid_messages_close_with_4400(string message)
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SendTextAsync(message);
        Assert.Equal(4400, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task Subscribe_before_ack_closes_with_4401()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(factory);
        await client.SubscribeAsync("early", "{ __typename }");
        Assert.Equal(4401, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task No_init_within_the_timeout_closes_with_4408()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(factory);
        Assert.Equal(4408, await client.ClosedWithAsync());
        Assert.Equal("Connection initialisation timeout", client.CloseDescription);
    }

    [Fact]
    public async Task A_repeated_subscription_id_closes_with_4409()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SubscribeAsync("same", "subscription { syncCompleted { id } }");
        await client.SubscribeAsync("same", "subscription { syncCompleted { id } }");
        Assert.Equal(4409, await client.ClosedWithAsync());
        Assert.Equal("Subscriber for same already exists", client.CloseDescription);
    }

    [Fact]
    public async Task A_second_init_closes_with_4429()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SendAsync(new { type = "connection_init" });
        Assert.Equal(4429, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_with_1009()
    {
        await using var client = await GraphQLWebSocketClient.InitialisedAsync(factory);
        await client.SubscribeAsync("big", "{ __typename " + new string(' ', 8192) + "}");
        Assert.Equal(1009, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task Without_the_subprotocol_the_socket_closes_with_4406()
    {
        await using var client = await GraphQLWebSocketClient.ConnectAsync(factory, subProtocol: null);
        Assert.Equal(4406, await client.ClosedWithAsync());
    }
}
