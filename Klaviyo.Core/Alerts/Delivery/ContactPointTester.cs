using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Alerts.Delivery;

/// <summary>"Send a test": one message to the contact point now, outside the outbox, and what became of it.</summary>
public sealed class ContactPointTester(IDbContextFactory<KlaviyoDbContext> contexts, IEnumerable<IContactSender> senders, ContactPointSecrets secrets, AlertMessages messages, TimeProvider time)
{
    public sealed record Outcome(bool Delivered, string? Error);

    public async Task<Outcome> TestAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contact = await db.ContactPoints.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundError($"No contact point has the id '{id}'.");
        var now = time.GetUtcNow().UtcDateTime;
        var entry = new AlertLogEntry
        {
            Id = Guid.NewGuid(),
            RuleId = Guid.Empty,
            RuleName = "Test notification",
            Key = "",
            From = nameof(AlertState.Normal),
            To = nameof(AlertState.Firing),
            At = now,
            Message = $"A test from the Klaviyo Analytics Dashboard to '{contact.Name}': if you read this, alerts reach you here.",
            Link = "/alerts",
        };
        var message = messages.Render(Guid.NewGuid(), [new AlertMessages.Item(entry, false)]);
        var sender = senders.Single(s => s.Kind == contact.Kind);
        var result = await sender.SendAsync(contact, secrets.Unprotect(contact.ProtectedSecret), contact.Kind == ContactKinds.Email ? NotificationDispatcher.Addresses(contact.Target) : [], message, cancellationToken);
        return result switch
        {
            SendResult.Sent => new Outcome(true, null),
            SendResult.Retry r => new Outcome(false, r.Error),
            SendResult.Gone g => new Outcome(false, g.Error),
            _ => new Outcome(false, "Unknown outcome."),
        };
    }
}
