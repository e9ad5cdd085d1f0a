using System.Diagnostics;
using Klaviyo.Core.Security;
using Klaviyo.Web.Client;

namespace Klaviyo.Web.Warmup;

/// <summary>
/// Renders the dashboard once as soon as the server listens, so that the first person to open it
/// does not wait for the JIT (a cold first render takes ~1.5 s, a warm one ~40 ms).
/// </summary>
public sealed class DashboardWarmup(IHostApplicationLifetime lifetime, GraphQLEndpoint endpoint, DashboardTokens tokens, IHttpClientFactory http, ILogger<DashboardWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        var elapsed = Stopwatch.StartNew();
        try
        {
            var dashboard = new Uri(endpoint.Http, "/");
            using var client = http.CreateClient(nameof(DashboardWarmup));
            using var request = new HttpRequestMessage(HttpMethod.Get, dashboard);
            request.Headers.Authorization = new("Bearer", tokens.MintService());
            using var response = await client.SendAsync(request, stoppingToken);
            logger.LogDebug("Dashboard warmed up in {Elapsed} ms ({Status})", elapsed.ElapsedMilliseconds, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
        {
            // Only the first visitor's wait is at stake (and an in-memory test server has no address to call).
            logger.LogWarning("Dashboard warm-up failed: {Reason}", e.Message);
        }
    }
}
