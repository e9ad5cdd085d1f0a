using System.Net;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Web;

/// <summary>The dashboard hosts the GraphQL API in-process: one command serves both (on a real port: the dashboard's client calls the API over HTTP).</summary>
public sealed class WebHostTests : IClassFixture<WebHostTests.Factory>
{
    public sealed class Factory : WebApplicationFactory<Program>
    {
        public Factory()
        {
            UseKestrel(0);
            StartServer();
        }

        private readonly string _database = Path.Combine(Path.GetTempPath(), $"klaviyo-web-{Guid.NewGuid():N}.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.ConfigureTestServices(services => services.AddLoopbackPeer());
            builder.UseSetting("ConnectionStrings:Klaviyo", $"Data Source={_database};Pooling=False");
            builder.UseSetting("Sync:Enabled", "false");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_database);
        }
    }

    private readonly Factory _factory;

    public WebHostTests(Factory factory) => _factory = factory;

    [Fact]
    public async Task The_page_and_the_API_answer_from_one_process()
    {
        var client = _factory.CreateClient();
        var page = await client.GetStringAsync("/");
        var api = await client.PostAsync("/graphql", new StringContent("{\"query\":\"{ syncStatus { isSyncing } }\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains("Klaviyo Analytics", page);
        Assert.Contains("data-kpi=\"totalRevenue\"", page);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Contains("\"isSyncing\":false", await api.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_site_has_a_favicon_the_page_links_to()
    {
        var client = _factory.CreateClient();
        var page = await client.GetStringAsync("/");
        var ico = await client.GetAsync("/favicon.ico");
        var svg = await client.GetAsync("/favicon.svg");

        Assert.Contains("<link rel=\"icon\" href=\"favicon.ico\"", page);
        Assert.Equal((HttpStatusCode.OK, "image/x-icon"), (ico.StatusCode, ico.Content.Headers.ContentType?.MediaType));
        Assert.Equal([0, 0, 1, 0], (await ico.Content.ReadAsByteArrayAsync())[..4]); // an ICO header
        Assert.Equal((HttpStatusCode.OK, "image/svg+xml"), (svg.StatusCode, svg.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task The_page_says_what_is_arriving_instead_of_showing_a_zero()
    {
        // The first request of a busy test run can prerender the sections still loading (a skeleton, aria-busy): read again until they are not.
        var page = "";
        await Wait.UntilAsync(async () =>
        {
            page = await _factory.CreateClient().GetStringAsync("/");
            return !page.Contains("data-testid=\"kpis\" aria-busy=\"true\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30));
        Assert.Contains("data-testid=\"kpis\" aria-busy=\"false\"", page);
        Assert.DoesNotContain("$0", page);
        Assert.Contains("the first sync of events is running", page); // the revenue card
        Assert.Contains("first sync running", page); // a section's header, with no LIVE beside it
        Assert.DoesNotContain("data-source=\"LIVE\"", page);
    }

    [Fact]
    public void The_in_process_bus_is_the_one_the_page_listens_to()
    {
        var bus = _factory.Services.GetRequiredService<EventBus>();
        var received = new List<DataChangedEvent>();
        using var _ = bus.Observe<DataChangedEvent>().Subscribe(received.Add);
        bus.Publish(new DataChangedEvent([SyncEntity.Events], DateTime.UtcNow, null, DateTime.UtcNow, 1));
        Assert.Single(received);
    }
}
