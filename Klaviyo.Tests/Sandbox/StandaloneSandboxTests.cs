using System.Net;
using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Klaviyo.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Sandbox;

/// <summary>The sandbox as its own service (Klaviyo.Sandbox): two app instances pointed at it through Klaviyo:BaseUrl sync one and the same account.</summary>
public sealed class StandaloneSandboxTests : IDisposable
{
    private readonly string _anchor = Path.Combine(Path.GetTempPath(), $"klaviyo-sandbox-{Guid.NewGuid():N}", "sandbox.json");
    private readonly WebApplicationFactory<Klaviyo.Sandbox.Program> _sandbox;
    private readonly ApiFactory[] _apps;

    public StandaloneSandboxTests()
    {
        _sandbox = new WebApplicationFactory<Klaviyo.Sandbox.Program>().WithWebHostBuilder(b => b
            .UseSetting("Sandbox:HistoryDays", "3").UseSetting("Sandbox:EventsPerDay", "500").UseSetting("Sandbox:Profiles", "50")
            .UseSetting("Sandbox:LiveEventInterval", "1.00:00:00").UseSetting("Sandbox:AnchorFile", _anchor));
        _apps = [App(), App()];
    }

    private ApiFactory App()
    {
        var app = new ApiFactory();
        app.With("Sandbox:Enabled", "false").With("Klaviyo:BaseUrl", "http://localhost/sandbox/klaviyo")
            .WithServices(services => services.AddHttpClient<KlaviyoClient>().ConfigurePrimaryHttpMessageHandler(() => _sandbox.Server.CreateHandler()));
        return app;
    }

    public void Dispose()
    {
        foreach (var app in _apps)
            app.Dispose();
        _sandbox.Dispose();
        Directory.Delete(Path.GetDirectoryName(_anchor)!, recursive: true);
    }

    [Fact]
    public async Task Two_instances_pointed_at_one_sandbox_service_sync_the_same_account_and_serve_no_sandbox_of_their_own()
    {
        var health = await _sandbox.CreateClient().GetStringAsync("/health");
        Assert.Equal("Healthy", health);
        Assert.True(File.Exists(_anchor), "the standalone sandbox keeps its account's start");

        var synced = new List<HashSet<string>>();
        foreach (var app in _apps)
        {
            var coordinator = app.Service<SyncCoordinator>();
            var started = await coordinator.StartAsync([SyncEntity.Metrics, SyncEntity.Events], SyncMode.Incremental, "TEST", CancellationToken.None);
            await coordinator.WhenFinishedAsync(started.Run!.Id).WaitAsync(TimeSpan.FromMinutes(1));
            await using var db = app.OpenDatabaseDirectly();
            synced.Add([.. await db.Events.Select(e => e.Id).ToListAsync()]);
            // The app's own emulator is off: nothing answers under its sandbox path.
            Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/sandbox/klaviyo/api/metrics")).StatusCode);
        }

        Assert.True(synced[0].Count >= 1_000, $"only {synced[0].Count} events synced");
        Assert.Equal(synced[0].Order(), synced[1].Order());
    }
}
