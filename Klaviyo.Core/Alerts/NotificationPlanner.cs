using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// Decides who is told about a state change: nobody while a silence, a dismissal or a suppression
/// matches (the log says which); otherwise one outbox row per contact point of the rule (every
/// enabled one when the rule names none), due after the group wait so alerts changing together go
/// out in one message. Rows are keyed by the decision, so a decision is queued once.
/// </summary>
public sealed class NotificationPlanner(IOptions<AlertOptions> options)
{
    public sealed record Pass(IReadOnlyList<AlertSilence> Silences, IReadOnlyList<ContactPoint> ContactPoints, DateTime Now);

    public void Plan(KlaviyoDbContext db, AlertRule rule, AlertInstance instance, AlertLogEntry entry, Pass pass)
    {
        if (entry.Silenced is not null)
            return;
        Queue(db, rule, instance, entry.Id, $"alert:{entry.Id}", pass);
    }

    /// <summary>Still firing after the repeat interval: told again (keyed by the hour, so one repeat per interval at most).</summary>
    public void Repeat(KlaviyoDbContext db, AlertRule rule, AlertInstance instance, Pass pass)
    {
        if (SilencedBy(rule, instance, pass.Silences) is not null)
            return;
        if (instance.FiredEntryId is not { } fired)
            return;
        Queue(db, rule, instance, fired, $"repeat:{fired}:{pass.Now:yyyyMMddHHmm}", pass);
    }

    private void Queue(KlaviyoDbContext db, AlertRule rule, AlertInstance instance, Guid entryId, string key, Pass pass)
    {
        var chosen = ContactPointList.Parse(rule.ContactPoints).ToHashSet();
        var targets = pass.ContactPoints.Where(c => chosen.Count == 0 || chosen.Contains(c.Id)).ToList();
        foreach (var contact in targets)
        {
            db.Notifications.Add(new Notification
            {
                Id = Guid.NewGuid(),
                Key = $"{key}:{contact.Id}",
                ContactPointId = contact.Id,
                LogEntryId = entryId,
                CreatedAt = pass.Now,
                NextAttemptAt = pass.Now + options.Value.GroupWait,
            });
        }
        if (targets.Count > 0)
            instance.LastNotifiedAt = pass.Now;
    }

    /// <summary>The silence, dismissal or suppression that holds this alert's notifications back, described; null when none.</summary>
    public static string? SilencedBy(AlertRule rule, AlertInstance instance, IReadOnlyList<AlertSilence> silences)
    {
        var match = silences.FirstOrDefault(s => s.EndedAt is null && (s.RuleId is null || s.RuleId == rule.Id) && (s.Key.Length == 0 || s.Key == instance.Key)
            && AlertLabels.Match(s.Matchers, rule.Labels));
        return match is null ? null
            : $"{match.Kind.ToLowerInvariant()} by {match.CreatedBy}{(match.EndsAt is { } end ? $" until {end:u}" : "")}{(match.Comment.Length > 0 ? $": {match.Comment}" : "")}";
    }

    /// <summary>A dismissal lasts until the alert resolves: the next time it fires, people are told again.</summary>
    public static void EndDismissals(AlertRule rule, AlertInstance instance, Pass pass)
    {
        foreach (var dismissal in pass.Silences.Where(s => s.Kind == AlertSilenceKinds.Dismiss && s.EndedAt is null && s.RuleId == rule.Id && s.Key == instance.Key))
        {
            dismissal.EndedAt = pass.Now;
            dismissal.EndedBy = "resolved";
        }
    }
}

public static class AlertSilenceKinds
{
    public const string Silence = "SILENCE";
    public const string Dismiss = "DISMISS";
    public const string Suppress = "SUPPRESS";
}
