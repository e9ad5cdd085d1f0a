using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>
/// Pushes the living account's new events to every enabled webhook subscribed to their topic:
/// every <see cref="SandboxOptions.WebhookBatchInterval"/>, up to 100 events a POST, in Klaviyo's
/// shape (data[] of external_id / payload as Get Event answers it / topic, and meta), signed with
/// the webhook's secret over body + Klaviyo-Timestamp. A delivery answered with an error or not at
/// all is retried three times, a second, two and four apart, then dropped (the receiver's polling
/// finds it). The webhook faults (bad signature, duplicates, out of order, drops) act here.
/// </summary>
public sealed class SandboxWebhookDelivery(
    SandboxAccount account,
    SandboxWebhooks webhooks,
    SandboxFaultSwitch faults,
    IHttpClientFactory clients,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<SandboxWebhookDelivery> logger) : BackgroundService
{
    public const string HttpClientName = "Klaviyo.Sandbox.Webhooks";
    private const int BatchSize = 100;
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    private readonly Dictionary<string, Held> _held = [];

    private sealed record Batch(SandboxWebhook Webhook, byte[] Body, int Events);

    private sealed record Held(Batch Batch, DateTime Since);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = (long?)null;
        using var timer = new PeriodicTimer(options.Value.WebhookBatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow().UtcDateTime;
            var count = account.EventCountAt(now);
            var subscribed = webhooks.All.Where(w => w.Enabled).ToList();
            // Only events that arrive while a webhook listens are pushed: history is what the API is for.
            if (next is null || subscribed.Count == 0)
            {
                next = count;
                continue;
            }
            var fault = faults.Current;
            foreach (var webhook in subscribed)
            {
                var metrics = webhook.Topics.Select(t => webhooks.Topics[t]).ToHashSet();
                var events = new List<SandboxEvent>();
                for (var i = next.Value; i < count; i++)
                {
                    var e = account.Event(i);
                    if (metrics.Contains(e.MetricId))
                        events.Add(e);
                }
                foreach (var chunk in events.Chunk(BatchSize))
                    Send(Build(webhook, chunk, now), fault, now);
                ReleaseHeld(webhook, now);
            }
            next = count;
        }
    }

    private Batch Build(SandboxWebhook webhook, SandboxEvent[] events, DateTime now)
    {
        var body = new JsonObject
        {
            ["data"] = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject
            {
                ["external_id"] = e.Id,
                ["payload"] = new JsonObject { ["data"] = SandboxActivityEndpoints.Event(webhook.BaseUrl, e) },
                ["topic"] = webhooks.TopicOfMetric[e.MetricId],
            })]),
            ["meta"] = new JsonObject
            {
                ["klaviyo_account_id"] = "SANDBX",
                ["klaviyo_webhook_id"] = webhook.Id,
                ["timestamp"] = JsonApi.Iso(now),
            },
        };
        return new Batch(webhook, Encoding.UTF8.GetBytes(body.ToJsonString()), events.Length);
    }

    private void Send(Batch batch, SandboxFaults fault, DateTime now)
    {
        webhooks.BatchMade();
        if (fault.WebhookDropRate > 0 && Random.Shared.NextDouble() < fault.WebhookDropRate)
            return;
        if (fault.WebhookOutOfOrder && !_held.ContainsKey(batch.Webhook.Id))
        {
            // Held until the next batch for this webhook has gone out (or a second has passed).
            _held[batch.Webhook.Id] = new Held(batch, now);
            return;
        }
        _ = DeliverAsync(batch, fault);
        if (fault.WebhookDuplicates)
            _ = DeliverAsync(batch, fault);
        if (_held.Remove(batch.Webhook.Id, out var held))
            _ = DeliverAsync(held.Batch, fault);
    }

    private void ReleaseHeld(SandboxWebhook webhook, DateTime now)
    {
        if (_held.TryGetValue(webhook.Id, out var held) && now - held.Since >= TimeSpan.FromSeconds(1))
        {
            _held.Remove(webhook.Id);
            _ = DeliverAsync(held.Batch, faults.Current);
        }
    }

    private async Task DeliverAsync(Batch batch, SandboxFaults fault)
    {
        var client = clients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            // Each attempt is signed anew, with the time it is sent.
            var timestamp = JsonApi.Iso(time.GetUtcNow().UtcDateTime);
            var secret = fault.WebhookBadSignature ? "not-" + batch.Webhook.Secret : batch.Webhook.Secret;
            using var request = new HttpRequestMessage(HttpMethod.Post, batch.Webhook.EndpointUrl) { Content = new ByteArrayContent(batch.Body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(WebhookSignature.WebhookIdHeader, batch.Webhook.Id);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, batch.Body, timestamp));
            string outcome;
            try
            {
                using var response = await client.SendAsync(request);
                if (response.IsSuccessStatusCode)
                    return;
                outcome = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                outcome = e.GetType().Name;
            }
            if (attempt >= RetryDelays.Length)
            {
                logger.LogWarning("Sandbox webhook {WebhookId}: a batch of {Count} events was dropped after {Attempts} attempts ({Outcome})", batch.Webhook.Id, batch.Events, attempt + 1, outcome);
                return;
            }
            await Task.Delay(RetryDelays[attempt]);
        }
    }
}
