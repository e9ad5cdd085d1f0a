using Klaviyo.Core.Accounts;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Digests;

/// <summary>
/// Queues the digests that are due, on the sync leader: one outbox row per contact point whose key
/// names the occurrence, written with the digest's next occurrence in one fenced transaction — so
/// a restart, a second instance or a deposed leader never queues an occurrence twice. After a long
/// outage only the latest missed occurrence is sent (nobody wants a week of daily digests at once).
/// </summary>
public sealed class DigestScheduler(
    IDbContextFactory<KlaviyoDbContext> contexts,
    AccountReader accounts,
    NotificationDispatcher dispatcher,
    LeaderLease lease,
    TimeProvider time,
    IOptions<AlertOptions> options,
    ILogger<DigestScheduler> logger) : LeaderLoop(lease, logger)
{
    protected override bool Enabled => options.Value.Enabled;
    protected override TimeSpan Interval => options.Value.Tick;
    protected override string Work => "Digest scheduling";

    protected override async Task<TimeSpan?> RunAsync(CancellationToken stoppingToken)
    {
        await QueueDueAsync(stoppingToken);
        return null;
    }

    /// <summary>Queues what is due now; answers how many messages were queued.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken)
    {
        var account = (await accounts.ReadAsync(forceFresh: false, cancellationToken)).Data;
        if (!account.Synced)
            return 0; // no calendar yet: a schedule in the wrong time zone would be worse than waiting
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var digests = await db.Digests.Where(d => d.Enabled && (d.NextRunAt == null || d.NextRunAt <= now)).ToListAsync(cancellationToken);
        if (digests.Count == 0)
            return 0;
        var queued = 0;
        foreach (var digest in digests)
        {
            if (digest.NextRunAt is { } due)
            {
                foreach (var contact in ContactPointList.Parse(digest.ContactPoints))
                {
                    var key = $"digest:{digest.Id:N}:{due:yyyyMMdd'T'HHmm}:{contact:N}";
                    if (await db.Notifications.AnyAsync(n => n.Key == key, cancellationToken))
                        continue;
                    db.Notifications.Add(Row(key, digest.Id, due, contact, now));
                    queued++;
                }
                digest.LastQueuedAt = now;
            }
            digest.NextRunAt = DigestSchedule.Next(digest, now, account.Zone);
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await Lease.FenceAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (queued > 0)
            dispatcher.Wake();
        return queued;
    }

    public static Notification Row(string key, Guid digest, DateTime due, Guid contact, DateTime now) => new()
    {
        Id = Guid.NewGuid(),
        Key = key,
        ContactPointId = contact,
        DigestId = digest,
        DigestFor = due,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
