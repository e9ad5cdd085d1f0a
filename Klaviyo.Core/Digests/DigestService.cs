using Klaviyo.Core.Alerts;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Digests;

/// <summary>Digests as the API and the /alerts page change them, and "Send now".</summary>
public sealed class DigestService(IDbContextFactory<KlaviyoDbContext> contexts, NotificationDispatcher dispatcher, DigestScheduler scheduler, TimeProvider time)
{
    public async Task<IReadOnlyList<Digest>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Digests.AsNoTracking().OrderBy(d => d.Name).ToListAsync(cancellationToken);
    }

    public async Task<Digest> CreateAsync(DigestInput input, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var digest = new Digest { Id = Guid.NewGuid(), Name = "", Frequency = "", CreatedAt = now, UpdatedBy = by };
        await ApplyAsync(db, digest, input, by, now, cancellationToken);
        db.Digests.Add(digest);
        await db.SaveChangesAsync(cancellationToken);
        scheduler.Wake(); // computes its first occurrence
        return digest;
    }

    public async Task<Digest> UpdateAsync(Guid id, DigestInput input, string by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var digest = await FindAsync(db, id, cancellationToken);
        await ApplyAsync(db, digest, input, by, time.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        scheduler.Wake();
        return digest;
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Digests.Remove(await FindAsync(db, id, cancellationToken));
        // What is queued and not yet sent goes with it; what was sent stays in the outbox's history.
        await db.Notifications.Where(n => n.DigestId == id && n.SentAt == null && n.AbandonedAt == null).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues the digest now, for the period that ended before today (a preview of the next one); answers how many messages.</summary>
    public async Task<int> SendNowAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var digest = await FindAsync(db, id, cancellationToken);
        var contacts = ContactPointList.Parse(digest.ContactPoints).ToList();
        if (contacts.Count == 0)
            throw new InvalidInputError("The digest has no contact point to send to.");
        var request = Guid.NewGuid();
        foreach (var contact in contacts)
            db.Notifications.Add(DigestScheduler.Row($"digest:{digest.Id:N}:now:{request:N}:{contact:N}", digest.Id, now, contact, now));
        await db.SaveChangesAsync(cancellationToken);
        dispatcher.Wake();
        return contacts.Count;
    }

    private static async Task<Digest> FindAsync(KlaviyoDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Digests.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundError($"No digest has the id '{id}'.");

    private static async Task ApplyAsync(KlaviyoDbContext db, Digest digest, DigestInput input, string by, DateTime now, CancellationToken cancellationToken)
    {
        if (input.Hour is < 0 or > 23)
            throw new InvalidInputError("hour is 0 to 23, in the account's time zone.");
        if (input.Frequency == DigestFrequency.Weekly && input.DayOfWeek is not (>= 1 and <= 7))
            throw new InvalidInputError("A weekly digest needs dayOfWeek: 1 (Monday) to 7 (Sunday).");
        if (input.Frequency == DigestFrequency.Monthly && input.DayOfMonth is not (>= 1 and <= 28))
            throw new InvalidInputError("A monthly digest needs dayOfMonth: 1 to 28 (every month has it).");
        if (input.ContactPointIds.Count == 0)
            throw new InvalidInputError("A digest needs at least one contact point.");
        digest.Name = AlertService.Name(input.Name);
        digest.Frequency = input.Frequency.ToString();
        digest.Hour = input.Hour;
        digest.DayOfWeek = input.Frequency == DigestFrequency.Weekly ? input.DayOfWeek : null;
        digest.DayOfMonth = input.Frequency == DigestFrequency.Monthly ? input.DayOfMonth : null;
        digest.ContactPoints = await AlertService.ContactPointsAsync(db, input.ContactPointIds, cancellationToken);
        digest.Enabled = input.Enabled;
        digest.NextRunAt = null; // the scheduler computes it in the account's calendar
        digest.UpdatedAt = now;
        digest.UpdatedBy = by;
    }
}
