using System.Text.Json;
using Klaviyo.Api;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Webhooks;

/// <summary>
/// <c>POST /webhooks/klaviyo</c>: a batch of events Klaviyo pushes. Checked before anything is read:
/// the three headers, the timestamp within <see cref="WebhookOptions.Tolerance"/> of our clock, the
/// HMAC signature (constant time), the body's webhook id against the header's, and that this exact
/// delivery was not accepted before (a replay), by its signature's bytes in a table every instance
/// shares, written in the same transaction as the events. Then stored as the syncer stores a page — new ids
/// inserted and added to the rollups, known ones skipped — with no checkpoint touched: the next
/// poll still reads everything, and finds what a webhook missed without counting anything twice.
/// </summary>
public sealed class WebhookReceiver(
    IOptions<WebhookOptions> options,
    WebhookSecret secret,
    WebhookStatus status,
    IDbContextFactory<KlaviyoDbContext> contexts,
    FreshCache cache,
    SyncClock clock,
    DataChangePublisher changes,
    TimeProvider time,
    ILogger<WebhookReceiver> logger)
{
    public async Task<IResult> ReceiveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (request.ContentLength > settings.MaxBodyBytes)
            return Refuse("too_large", StatusCodes.Status413PayloadTooLarge, $"Deliveries are limited to {settings.MaxBodyBytes:N0} bytes.");
        var signature = request.Headers[WebhookSignature.SignatureHeader].ToString();
        var timestamp = request.Headers[WebhookSignature.TimestampHeader].ToString();
        var webhookId = request.Headers[WebhookSignature.WebhookIdHeader].ToString();
        if (signature.Length == 0 || timestamp.Length == 0 || webhookId.Length == 0)
            return Refuse("missing_header", StatusCodes.Status400BadRequest,
                $"{WebhookSignature.SignatureHeader}, {WebhookSignature.TimestampHeader} and {WebhookSignature.WebhookIdHeader} are required.");
        if (WebhookSignature.ParseTimestamp(timestamp) is not { } sent)
            return Refuse("bad_timestamp", StatusCodes.Status400BadRequest, $"{WebhookSignature.TimestampHeader} is not a time.");

        var body = await ReadBodyAsync(request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
            return Refuse("too_large", StatusCodes.Status413PayloadTooLarge, $"Deliveries are limited to {settings.MaxBodyBytes:N0} bytes.");
        if (!WebhookSignature.Verify(await secret.GetAsync(cancellationToken), body, timestamp, signature))
            return Refuse("bad_signature", StatusCodes.Status401Unauthorized, "The signature does not match the body and timestamp.");
        var now = time.GetUtcNow();
        if ((now - sent).Duration() > settings.Tolerance)
            return Refuse("stale", StatusCodes.Status401Unauthorized, $"The timestamp is more than {settings.Tolerance.TotalMinutes:F0} minutes from now.");
        // The bytes, not the header's text: "AB…" and "ab…" are one signature.
        var delivery = new WebhookDelivery { Signature = Convert.ToHexStringLower(Convert.FromHexString(signature)), ReceivedAt = now.UtcDateTime };
        if (await AcceptedBeforeAsync(delivery.Signature, cancellationToken))
            return Replay();

        List<Event> events;
        try
        {
            events = Parse(body, webhookId);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or KlaviyoException or FormatException)
        {
            return Refuse("bad_body", StatusCodes.Status400BadRequest, "The body is not a Klaviyo webhook delivery: " + e.Message);
        }

        return await StoreAsync(events, delivery, now, cancellationToken);
    }

    /// <summary>The new events and the delivery in one transaction (a replay racing it loses), then the caches and the push, as after a sync.</summary>
    private async Task<IResult> StoreAsync(List<Event> events, WebhookDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        IReadOnlyList<Event> stored;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            stored = await EventPageWriter.WriteAsync(db, events, cancellationToken);
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or TimeoutException)
        {
            if (e is DbUpdateException && await AcceptedBeforeAsync(delivery.Signature, cancellationToken))
                return Replay(); // the same delivery, accepted a moment ago by this or another instance
            // Klaviyo retries a delivery that failed; the next poll finds the events anyway.
            logger.LogWarning(e, "A webhook delivery of {Count} events could not be stored; Klaviyo will retry it and polling reconciles", events.Count);
            return Refuse("database", StatusCodes.Status503ServiceUnavailable, "The events could not be stored now; retry.");
        }
        await ForgetOldDeliveriesAsync(now.UtcDateTime - options.Value.Tolerance * 2, cancellationToken);

        if (stored.Count > 0)
        {
            // As after a sync: caches first, then the push, so a refetch on dataChanged reads the new rows.
            await cache.EvictAsync([SyncEntity.Events], cancellationToken);
            var lastUpdated = await clock.LastUpdatedAsync([SyncEntity.Events], cancellationToken) ?? now.UtcDateTime;
            changes.Changed(SyncEntity.Events, stored.Count, lastUpdated, runId: null);
        }
        status.Delivered(events.Count, stored.Count, now.UtcDateTime);
        logger.LogDebug("Webhook delivery: {Count} events, {Stored} new", events.Count, stored.Count);
        return Results.Ok(new { received = events.Count, stored = stored.Count });
    }

    private IResult Replay() => Refuse("replay", StatusCodes.Status409Conflict, "This delivery was received already.");

    private async Task<bool> AcceptedBeforeAsync(string signature, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.WebhookDeliveries.AnyAsync(d => d.Signature == signature, cancellationToken);
    }

    /// <summary>A delivery older than twice the tolerance is refused as stale anyway: its row is no longer needed.</summary>
    private async Task ForgetOldDeliveriesAsync(DateTime before, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.WebhookDeliveries.Where(d => d.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            logger.LogDebug(e, "Old webhook deliveries were not deleted now; the next delivery tries again");
        }
    }

    private static List<Event> Parse(byte[] body, string webhookId)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var meta = root.GetProperty("meta");
        if (meta.GetProperty("klaviyo_webhook_id").GetString() != webhookId)
            throw new InvalidOperationException($"meta.klaviyo_webhook_id differs from the {WebhookSignature.WebhookIdHeader} header.");
        var events = new List<Event>();
        foreach (var item in root.GetProperty("data").EnumerateArray())
        {
            // The payload is a Get Event answer: the resource is its data.
            var resource = item.GetProperty("payload").GetProperty("data");
            var parsed = EventsSyncer.Parse(resource);
            if (item.TryGetProperty("external_id", out var id) && id.GetString() is { } externalId && externalId != parsed.Id)
                throw new InvalidOperationException($"external_id {externalId} is not the payload's event {parsed.Id}.");
            events.Add(parsed);
        }
        return events;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private IResult Refuse(string reason, int statusCode, string message)
    {
        status.Refuse(reason);
        logger.LogWarning("Refused a webhook delivery ({Reason}): {Message}", reason, message);
        return Results.Json(new { error = reason, message }, statusCode: statusCode);
    }
}
