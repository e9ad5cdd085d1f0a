using Klaviyo.Web.Client.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Browser;

/// <summary>The generated client's subscription methods over a real socket (graphql-transport-ws): a stream of typed events.</summary>
[Collection(nameof(DashboardServer))]
public sealed class GeneratedSubscriptionTests(DashboardServer server)
{
    [Fact]
    public async Task A_generated_subscription_streams_typed_events_until_cancelled()
    {
        using var scope = server.Services.CreateScope();
        var api = scope.ServiceProvider.GetRequiredService<KlaviyoGraphQLClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        // The living sandbox sends an event every 2 s and events sync every second: data changes keep coming.
        var received = new List<DataChangedEvent>();
        await foreach (var changed in api.DataChangedAsync(timeout.Token))
        {
            received.Add(changed.DataChanged);
            if (received.Count == 2)
                break; // leaving the loop completes the subscription and closes the socket
        }

        Assert.All(received, e => Assert.True(e.Records > 0 && e.Entities.Count > 0));
        Assert.Contains(received, e => e.Entities.Contains(SyncEntity.Events));
    }
}
