using System.Collections.Concurrent;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Digests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>
/// Drains the outbox on the sync leader. Per contact point, due rows go out together as one
/// message whose id (the batch id, written before sending) is reused by every retry: a sender killed
/// mid-delivery resends the same batch under the same id, and the receiver drops the duplicate.
/// Failures back off exponentially (or as the receiver's Retry-After says); 410 disables the contact
/// point; rows older than the give-up age are abandoned — the NotificationsFailing diagnostic fires.
/// </summary>
public sealed class NotificationDispatcher(
    IDbContextFactory<KlaviyoDbContext> contexts,
    IEnumerable<IContactSender> senders,
    ContactPointSecrets secrets,
    AlertMessages messages,
    IServiceProvider services,
    LeaderLease lease,
    TimeProvider time,
    IOptions<AlertOptions> options,
    ILogger<NotificationDispatcher> logger) : LeaderLoop(lease, logger)
{
    public const int BatchLimit = 100;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, DateTime> _lastSent = new();
    private readonly Dictionary<string, IContactSender> _senders = senders.ToDictionary(s => s.Kind);

    public long Delivered => Interlocked.Read(ref _delivered);
    private long _delivered;

    protected override bool Enabled => options.Value.Enabled;
    protected override TimeSpan Interval => TimeSpan.FromSeconds(1);
    protected override string Work => "Notification delivery";

    protected override Task<TimeSpan?> RunAsync(CancellationToken stoppingToken) => DrainAsync(stoppingToken);

    /// <summary>Sends every batch that is due; returns how soon to look again (null: the usual second).</summary>
    public async Task<TimeSpan?> DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await AbandonAsync(db, now, cancellationToken);
            var due = await db.Notifications
                .Where(n => n.SentAt == null && n.AbandonedAt == null && n.NextAttemptAt <= now && (n.ClaimedUntil == null || n.ClaimedUntil < now))
                .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.CreatedAt)
                .Take(BatchLimit * 10)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
                return null;
            var sentSome = false;
            foreach (var group in due.GroupBy(Destination))
            {
                var rows = await ClaimAsync(db, group.ToList(), now, cancellationToken);
                if (rows.Count == 0)
                    continue;
                await SendAsync(db, group.Key, rows, cancellationToken);
                sentSome = true;
            }
            if (!sentSome)
                return null;
        }
    }

    /// <summary>Alerts to one contact point go together; each digest occurrence is a message of its own.</summary>
    private static string Destination(Notification n) => n.DigestId is null ? n.ContactPointId.ToString() : n.Key;

    /// <summary>
    /// The rows this message carries: a batch already begun (a retry: exactly its rows) or the due rows
    /// not yet in one, unless the group interval since the last message has not passed. Claimed and
    /// given their batch id before anything is sent.
    /// </summary>
    private async Task<List<Notification>> ClaimAsync(KlaviyoDbContext db, List<Notification> due, DateTime now, CancellationToken cancellationToken)
    {
        var destination = Destination(due[0]);
        List<Notification> rows;
        if (due.FirstOrDefault(n => n.BatchId is not null)?.BatchId is { } batch)
            rows = await db.Notifications.Where(n => n.BatchId == batch && n.SentAt == null && n.AbandonedAt == null).ToListAsync(cancellationToken);
        else
        {
            if (due[0].DigestId is null && _lastSent.TryGetValue(destination, out var last) && now - last < options.Value.GroupInterval)
                return [];
            rows = [.. due.Where(n => n.BatchId is null).Take(BatchLimit)];
            var id = Guid.NewGuid();
            foreach (var row in rows)
                row.BatchId = id;
        }
        foreach (var row in rows)
        {
            row.ClaimedBy = Lease.InstanceId;
            row.ClaimedUntil = now + options.Value.ClaimFor;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Lease.FenceAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    private async Task SendAsync(KlaviyoDbContext db, string destination, List<Notification> rows, CancellationToken cancellationToken)
    {
        var first = rows[0];
        var batchId = first.BatchId!.Value;
        var contact = await db.ContactPoints.SingleOrDefaultAsync(c => c.Id == first.ContactPointId, cancellationToken);
        var result = contact is null || !contact.Enabled
            ? new SendResult.Gone(contact is null ? "The contact point was deleted." : "The contact point is disabled.")
            : await RenderAndSendAsync(db, contact, rows, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var row in rows)
            Record(row, result, now);
        if (result is SendResult.Gone g && contact is { Enabled: true })
        {
            contact.Enabled = false;
            contact.DisabledReason = g.Error;
            logger.LogWarning("Contact point {Name} disabled: {Reason}", contact.Name, g.Error);
        }
        // The outcome is recorded even if this instance stopped leading meanwhile: the message went out.
        await db.SaveChangesAsync(CancellationToken.None);
        if (result is SendResult.Sent)
        {
            _lastSent[destination] = now;
            Interlocked.Add(ref _delivered, rows.Count);
        }
        else if (result is SendResult.Retry r)
            logger.LogInformation("Notification {Batch} to {Destination} will be retried: {Error}", batchId, contact?.Name, r.Error);
    }

    /// <summary>One message for the batch (a digest, or the alerts' items), sent through the contact point's kind.</summary>
    private async Task<SendResult> RenderAndSendAsync(KlaviyoDbContext db, ContactPoint contact, List<Notification> rows, CancellationToken cancellationToken)
    {
        var first = rows[0];
        var batchId = first.BatchId!.Value;
        try
        {
            var message = first.DigestId is { } digestId
                ? await DigestAsync(db, digestId, first.DigestFor ?? first.CreatedAt, batchId, cancellationToken)
                : messages.Render(batchId, await ItemsAsync(db, rows, cancellationToken));
            var recipients = contact.Kind == ContactKinds.Email ? Addresses(contact.Target) : [];
            return await _senders[contact.Kind].SendAsync(contact, secrets.Unprotect(contact.ProtectedSecret), recipients, message, cancellationToken);
        }
        catch (DigestGoneException gone)
        {
            return new SendResult.Dropped(gone.Message);
        }
        catch (DigestNotReadyException wait)
        {
            return new SendResult.Retry(wait.Message, TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Rendering notification {Batch} failed", batchId);
            return new SendResult.Retry("The message could not be rendered; details are in the server log.");
        }
    }

    private static void Record(Notification row, SendResult result, DateTime now)
    {
        row.Attempts++;
        row.ClaimedUntil = null;
        switch (result)
        {
            case SendResult.Sent:
                row.SentAt = now;
                row.LastError = null;
                break;
            case SendResult.Gone gone:
                row.AbandonedAt = now;
                row.LastError = gone.Error;
                break;
            case SendResult.Dropped dropped:
                row.AbandonedAt = now;
                row.LastError = dropped.Error;
                break;
            case SendResult.Retry retry:
                row.LastError = retry.Error;
                var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 2 * Math.Pow(2, Math.Min(row.Attempts, 12))));
                row.NextAttemptAt = now + (retry.After is { } after && after < TimeSpan.FromHours(1) ? after : backoff);
                break;
        }
    }

    private async Task<OutgoingMessage> DigestAsync(KlaviyoDbContext db, Guid id, DateTime due, Guid batchId, CancellationToken cancellationToken)
    {
        var digest = await db.Digests.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken)
            ?? throw new DigestGoneException("The digest was deleted.");
        // Resolved here, not injected: the renderer runs the API's own query, and the schema is built from services that need this one.
        return await services.GetRequiredService<IDigestRenderer>().RenderAsync(digest, due, batchId, cancellationToken);
    }

    private sealed class DigestGoneException(string message) : Exception(message);

    private static async Task<List<AlertMessages.Item>> ItemsAsync(KlaviyoDbContext db, List<Notification> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Select(r => r.LogEntryId).Distinct().ToList();
        var entries = await db.AlertLog.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        return [.. rows.Where(r => entries.ContainsKey(r.LogEntryId))
            .Select(r => new AlertMessages.Item(entries[r.LogEntryId], r.Key.StartsWith("repeat:", StringComparison.Ordinal)))
            .OrderBy(i => i.Entry.At)];
    }

    public static List<string> Addresses(string text) => [.. text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private async Task AbandonAsync(KlaviyoDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = now - options.Value.GiveUpAfter;
        await db.Notifications.Where(n => n.SentAt == null && n.AbandonedAt == null && n.CreatedAt < cutoff)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.AbandonedAt, now), cancellationToken);
    }
}
