using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Klaviyo.Sandbox;
using Klaviyo.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// The API with a small sandbox account whose live traffic is frozen (a new event a day), the
/// client pointed at the sandbox through the TestServer, fast retries, and a clock tests can move.
/// Syncs run when a test asks; every request the client sends is recorded.
/// </summary>
public class SandboxApiFactory : ApiFactory
{
    public OffsetTimeProvider Clock { get; } = new();
    public ConcurrentQueue<HttpRequestMessage> ClientRequests { get; } = new();
    /// <summary>The body of every client request that had one, read before it was sent.</summary>
    public ConcurrentQueue<(HttpMethod Method, string Path, string Body)> ClientBodies { get; } = new();

    public SandboxApiFactory()
        : this(null)
    {
    }

    protected SandboxApiFactory(string? databasePath)
        : base(databasePath)
    {
        With("Sandbox:HistoryDays", "3").With("Sandbox:EventsPerDay", "2000").With("Sandbox:Profiles", "150")
            .With("Sandbox:Campaigns", "6").With("Sandbox:Flows", "4")
            .With("Sandbox:LiveEventInterval", "1.00:00:00").With("Sandbox:LiveCampaignInterval", "1.00:00:00").With("Sandbox:LiveProfileInterval", "1.00:00:00")
            .With("Klaviyo:BaseUrl", "http://localhost/sandbox/klaviyo").With("Klaviyo:RetryBaseDelay", "00:00:00.010")
            .With("Klaviyo:MaxRetryAfter", "00:00:03").With("Klaviyo:MaxRetries", "6")
            .WithServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddHttpClient<KlaviyoClient>()
                    .ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(_started.Task))
                    .AddHttpMessageHandler(() => new RecordingHandler(ClientRequests, ClientBodies));
                // The sandbox's webhook deliveries reach the app through the same TestServer.
                services.AddHttpClient(SandboxWebhookDelivery.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => new StartedServerHandler(_started.Task));
            });
    }

    // The host's own TestServer, once it has started. Reading the factory's Server property from a
    // request sent while the host is still starting (the schedule syncs at once when enabled) would
    // make WebApplicationFactory build a second host on the same database.
    private readonly TaskCompletionSource<TestServer> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        _started.TrySetResult(host.GetTestServer());
        return host;
    }

    public SandboxAccount Account => Service<SandboxAccount>();

    public void SetFaults(SandboxFaults faults) => Service<SandboxFaultSwitch>().Set(faults);

    /// <summary>Runs a sync of these entities to its end and returns the recorded run.</summary>
    public async Task<SyncRun> SyncAsync(SyncMode mode, params SyncEntity[] entities)
    {
        var started = await Service<SyncCoordinator>().StartAndWaitAsync(entities, mode);
        Assert.NotNull(started.Run);
        return await RunAsync(started.Run.Id);
    }

    public Task<SyncRun> SyncAsync(params SyncEntity[] entities) => SyncAsync(SyncMode.Incremental, entities);

    private readonly SemaphoreSlim _firstSync = new(1);
    private bool _everythingSynced;

    /// <summary>Everything synced once for the whole fixture: the first caller syncs, the others wait for it.</summary>
    public async Task SyncEverythingOnceAsync()
    {
        await _firstSync.WaitAsync();
        try
        {
            if (!_everythingSynced)
                await SyncEverythingAsync();
            _everythingSynced = true;
        }
        finally
        {
            _firstSync.Release();
        }
    }

    /// <summary>Everything, reports after what they describe.</summary>
    public async Task SyncEverythingAsync()
    {
        var first = await SyncAsync(SyncEntity.Account, SyncEntity.Metrics, SyncEntity.Campaigns, SyncEntity.Flows, SyncEntity.Forms, SyncEntity.Segments, SyncEntity.Lists, SyncEntity.Profiles, SyncEntity.Events);
        Assert.Equal(SyncRunOutcome.Succeeded, first.Outcome);
        var reports = await SyncAsync(SyncEntity.CampaignReports, SyncEntity.FlowReports, SyncEntity.FormReports);
        Assert.Equal(SyncRunOutcome.Succeeded, reports.Outcome);
    }

    public async Task<SyncRun> RunAsync(Guid id)
    {
        await using var db = await Db();
        return await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    /// <summary>A request to the sandbox as Klaviyo's SDKs send it: the sandbox key and a revision.</summary>
    public static HttpRequestMessage SandboxRequest(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, JsonApi.Prefix + pathAndQuery);
        request.Headers.TryAddWithoutValidation("Authorization", "Klaviyo-API-Key pk_sandbox_local");
        request.Headers.Add("revision", "2026-07-15");
        return request;
    }

    /// <summary>Forgets every synced event, its rollups and the events cursor, as if events had never synced.</summary>
    public async Task ForgetEventsAsync()
    {
        await using var db = await Db();
        await db.MetricRollups.ExecuteDeleteAsync();
        await db.Events.ExecuteDeleteAsync();
        await db.SyncStates.Where(s => s.Entity == SyncEntity.Events).ExecuteDeleteAsync();
        Service<SyncClock>().Reload();
        await Service<FreshCache>().EvictAsync([SyncEntity.Events]);
    }

    public Task<KlaviyoDbContext> Db() => Service<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync();

    /// <summary>Sends through the TestServer, waiting for it to have started.</summary>
    private sealed class StartedServerHandler(Task<TestServer> server) : HttpMessageHandler
    {
        private HttpMessageInvoker? _invoker;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _invoker ??= new HttpMessageInvoker((await server.WaitAsync(cancellationToken)).CreateHandler());
            return await _invoker.SendAsync(request, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            _invoker?.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class RecordingHandler(ConcurrentQueue<HttpRequestMessage> requests, ConcurrentQueue<(HttpMethod, string, string)> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            requests.Enqueue(request);
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                bodies.Enqueue((request.Method, request.RequestUri!.AbsolutePath, await request.Content.ReadAsStringAsync(cancellationToken)));
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
