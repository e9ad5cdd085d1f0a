using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.RestClient;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Webhooks;

/// <summary>
/// With Klaviyo:Webhooks:PublicUrl set, makes the account's webhook for this app (found by name)
/// point at our receiver with the deployment's secret and every event topic the account offers,
/// enabled; on a graceful stop, disables it (polling catches up after the restart). Only the sync
/// leader registers and disables: with several instances, each time an instance becomes leader it
/// registers again (the one that stopped had disabled it). An account without webhook access is said
/// once, as a warning and in diagnostics; polling carries on either way.
/// </summary>
public sealed class WebhookRegistration(
    IOptions<WebhookOptions> options,
    WebhookSecret secret,
    WebhookStatus status,
    LeaderLease lease,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<WebhookRegistration> logger) : BackgroundService
{
    // Klaviyo's webhook endpoints: 1 a second, 15 a minute.
    private static readonly RateTier Tier = RateTier.XS;
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LeadershipPoll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Endpoint is null)
            return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                while (!lease.IsLeader)
                    await Task.Delay(LeadershipPoll, time, stoppingToken);
                await RegisterWhileLeadingAsync(stoppingToken);
                if (!lease.Enabled)
                    return; // the only instance: it leads until it stops
                // Registered (or refused for good): nothing to do until this instance stops leading and leads again.
                var stoppedLeading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using (lease.Leadership.Register(() => stoppedLeading.TrySetResult()))
                    await stoppedLeading.Task.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RegisterWhileLeadingAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && lease.IsLeader)
        {
            status.Set(WebhookState.Registering, null);
            try
            {
                await RegisterAsync(stoppingToken);
                return;
            }
            catch (KlaviyoException e) when (e.Failure is KlaviyoFailure.Auth or KlaviyoFailure.NotFound)
            {
                status.Set(WebhookState.Unavailable, "This Klaviyo account cannot use system webhooks (Advanced KDP or an app's OAuth key is needed, with webhooks:write); events arrive by polling.");
                logger.LogWarning("Klaviyo refused to register the webhook ({Status}): the account has no system webhooks or the key lacks webhooks:write. Events arrive by polling alone.", e.Status);
                return;
            }
            catch (KlaviyoException e)
            {
                status.Set(WebhookState.Failed, e.Message);
                logger.LogWarning("Registering the Klaviyo webhook failed ({Failure}); retrying in {Minutes} min. Polling carries on.", e.Failure, RetryAfterFailure.TotalMinutes);
            }
            try
            {
                await Task.Delay(RetryAfterFailure, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A follower leaves the webhook alone: the leader's registration is the deployment's.
        if (status.State != WebhookState.Active || status.WebhookId is not { } id || !lease.IsLeader)
            return;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var scope = scopes.CreateScope();
            var client = scope.ServiceProvider.GetRequiredService<KlaviyoClient>();
            (await client.WriteAsync(HttpMethod.Patch, $"api/webhooks/{id}/",
                new { data = new { type = "webhook", id, attributes = new { enabled = false } } }, Tier, timeout.Token)).Dispose();
            status.Set(WebhookState.Off, "Disabled at shutdown.");
            logger.LogInformation("Disabled the Klaviyo webhook {WebhookId} at shutdown", id);
        }
        catch (Exception e)
        {
            // Best effort on the way out, whatever failed: Klaviyo's failing deliveries are harmless, polling catches up.
            logger.LogWarning("Could not disable the Klaviyo webhook at shutdown ({Error}); Klaviyo's deliveries will fail until the next start", e.GetType().Name);
        }
    }

    /// <summary>Creates or updates the account's webhook for this app; public so a test can register again as a restart would.</summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        var endpoint = options.Value.Endpoint ?? throw new InvalidOperationException("Klaviyo:Webhooks:PublicUrl is not set.");
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<KlaviyoClient>();
        var topics = new List<string>();
        await foreach (var page in client.GetPagesAsync("api/webhook-topics/", Tier, cancellationToken))
            topics.AddRange(page.Data.Select(t => t.GetProperty("id").GetString()!).Where(t => t.StartsWith("event:", StringComparison.Ordinal)));
        string? existing = null;
        await foreach (var page in client.GetPagesAsync("api/webhooks/", Tier, cancellationToken))
            existing ??= page.Data.FirstOrDefault(w => w.GetProperty("attributes").GetProperty("name").GetString() == options.Value.Name) is { ValueKind: JsonValueKind.Object } found
                ? found.GetProperty("id").GetString() : null;

        var attributes = new Dictionary<string, object?>
        {
            ["name"] = options.Value.Name,
            ["description"] = "Pushes events to the Klaviyo Analytics Dashboard; managed by the app.",
            ["endpoint_url"] = endpoint.ToString(),
            ["secret_key"] = await secret.GetAsync(cancellationToken),
        };
        using var answer = existing is null
            ? await client.WriteAsync(HttpMethod.Post, "api/webhooks/", new { data = new { type = "webhook", attributes, relationships = Relationships(topics) } }, Tier, cancellationToken)
            : await client.WriteAsync(HttpMethod.Patch, $"api/webhooks/{existing}/",
                new { data = new { type = "webhook", id = existing, attributes = new Dictionary<string, object?>(attributes) { ["enabled"] = true }, relationships = Relationships(topics) } }, Tier, cancellationToken);
        var id = answer.RootElement.GetProperty("data").GetProperty("id").GetString()!;
        status.Set(WebhookState.Active, null, id, topics);
        logger.LogInformation("Klaviyo webhook {WebhookId} {Action}: {Topics} topics to {Endpoint}", id, existing is null ? "created" : "updated", topics.Count, endpoint);
    }

    // "webhook-topics" is not a C# name.
    private static Dictionary<string, object> Relationships(IEnumerable<string> topics) =>
        new() { ["webhook-topics"] = new { data = topics.Select(t => new { type = "webhook-topic", id = t }).ToList() } };
}
