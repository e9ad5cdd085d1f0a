using System.Net.Mail;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Alerts;

/// <summary>Rules (versioned), silences, dismissals and suppressions, contact points: what the API and the /alerts page change.</summary>
public sealed class AlertService(IDbContextFactory<KlaviyoDbContext> contexts, ContactPointSecrets secrets, TimeProvider time, AlertEvaluator evaluator)
{
    public static readonly int[] SuppressDays = [30, 60, 120, 365];

    public async Task<IReadOnlyList<AlertRule>> RulesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AlertRules.AsNoTracking().OrderBy(r => r.BuiltIn == null).ThenBy(r => r.Name).ToListAsync(cancellationToken);
    }

    public async Task<AlertRule> CreateRuleAsync(AlertRuleInput input, string by, CancellationToken cancellationToken)
    {
        var definition = input.ToDefinition();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = new AlertRule
        {
            Id = Guid.NewGuid(),
            Name = Name(input.Name),
            Kind = definition.Kind.ToString(),
            Definition = AlertJson.Write(definition),
            Enabled = input.Enabled,
            Labels = AlertLabels.Validate(input.Labels?.ToDictionary(l => l.Name, l => l.Value)),
            ContactPoints = await ContactPointsAsync(db, input.ContactPointIds, cancellationToken),
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = by,
        };
        db.AlertRules.Add(rule);
        db.AlertRuleVersions.Add(new AlertRuleVersion { RuleId = rule.Id, Version = 1, Name = rule.Name, Definition = rule.Definition, ChangedAt = now, ChangedBy = by });
        await db.SaveChangesAsync(cancellationToken);
        evaluator.Wake();
        return rule;
    }

    /// <summary>A new version: the old one stays readable (the log's entries name their version).</summary>
    public async Task<AlertRule> UpdateRuleAsync(Guid id, AlertRuleInput input, string by, CancellationToken cancellationToken)
    {
        var definition = input.ToDefinition();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundError($"No alert rule has the id '{id}'.");
        rule.Name = Name(input.Name);
        rule.Kind = definition.Kind.ToString();
        rule.Definition = AlertJson.Write(definition);
        rule.Enabled = input.Enabled;
        rule.Labels = AlertLabels.Validate(input.Labels?.ToDictionary(l => l.Name, l => l.Value));
        rule.ContactPoints = await ContactPointsAsync(db, input.ContactPointIds, cancellationToken);
        rule.Version++;
        rule.UpdatedAt = now;
        rule.UpdatedBy = by;
        rule.LastEvaluatedAt = null; // evaluated again at once, as it now reads
        db.AlertRuleVersions.Add(new AlertRuleVersion { RuleId = rule.Id, Version = rule.Version, Name = rule.Name, Definition = rule.Definition, ChangedAt = now, ChangedBy = by });
        await db.SaveChangesAsync(cancellationToken);
        evaluator.Wake();
        return rule;
    }

    public async Task<AlertRule> SetEnabledAsync(Guid id, bool enabled, string by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundError($"No alert rule has the id '{id}'.");
        rule.Enabled = enabled;
        rule.UpdatedAt = time.GetUtcNow().UtcDateTime;
        rule.UpdatedBy = by;
        if (!enabled)
            await db.AlertInstances.Where(i => i.RuleId == id).ExecuteDeleteAsync(cancellationToken); // a disabled rule has no alerts; the log keeps what they did
        await db.SaveChangesAsync(cancellationToken);
        evaluator.Wake();
        return rule;
    }

    /// <summary>Deletes a user's rule and its alerts; the log keeps its history. Built-in rules are disabled instead (else they would come back).</summary>
    public async Task DeleteRuleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new NotFoundError($"No alert rule has the id '{id}'.");
        if (rule.BuiltIn is not null)
            throw new InvalidInputError($"'{rule.Name}' is built in: disable it instead (setAlertRuleEnabled).");
        await db.AlertInstances.Where(i => i.RuleId == id).ExecuteDeleteAsync(cancellationToken);
        db.AlertRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<AlertSilence> SilenceAsync(SilenceInput input, string by, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var starts = input.StartsAt ?? now;
        if (input.EndsAt <= starts)
            throw new InvalidInputError("endsAt must be after startsAt.");
        if (input.EndsAt - starts > TimeSpan.FromDays(366))
            throw new InvalidInputError("A silence lasts at most a year.");
        var matchers = AlertLabels.Validate(input.Matchers?.ToDictionary(l => l.Name, l => l.Value));
        Guid? ruleId = input.RuleId is null ? null : Guid.TryParse(input.RuleId, out var r) ? r : throw new InvalidInputError($"'{input.RuleId}' is not a rule id.");
        if (ruleId is null && matchers.Length == 0)
            throw new InvalidInputError("A silence names a rule or label matchers (a silence of everything is disabling alerts: Alerts:Enabled=false).");
        return await AddSilenceAsync(AlertSilenceKinds.Silence, ruleId, input.Key, matchers, starts, input.EndsAt, Comment(input.Comment), by, cancellationToken);
    }

    /// <summary>Klaviyo's Dismiss: no more notifications for this alert until it resolves.</summary>
    public Task<AlertSilence> DismissAsync(Guid ruleId, string key, string by, CancellationToken cancellationToken) =>
        AddSilenceAsync(AlertSilenceKinds.Dismiss, ruleId, key, "", time.GetUtcNow().UtcDateTime, null, "Dismissed until it resolves.", by, cancellationToken);

    /// <summary>Klaviyo's Suppress for 30, 60, 120 or 365 days.</summary>
    public Task<AlertSilence> SuppressAsync(Guid ruleId, string key, int days, string by, CancellationToken cancellationToken)
    {
        if (!SuppressDays.Contains(days))
            throw new InvalidInputError($"Suppress for {string.Join(", ", SuppressDays)} days.");
        var now = time.GetUtcNow().UtcDateTime;
        return AddSilenceAsync(AlertSilenceKinds.Suppress, ruleId, key, "", now, now.AddDays(days), $"Suppressed for {days} days.", by, cancellationToken);
    }

    private async Task<AlertSilence> AddSilenceAsync(string kind, Guid? ruleId, string key, string matchers, DateTime starts, DateTime? ends, string comment, string by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (ruleId is { } id && !await db.AlertRules.AnyAsync(r => r.Id == id, cancellationToken))
            throw new NotFoundError($"No alert rule has the id '{id}'.");
        if (key.Length > 200)
            throw new InvalidInputError("key is at most 200 characters.");
        var silence = new AlertSilence
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            RuleId = ruleId,
            Key = key,
            Matchers = matchers,
            StartsAt = starts,
            EndsAt = ends,
            Comment = comment,
            CreatedBy = by,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.AlertSilences.Add(silence);
        await db.SaveChangesAsync(cancellationToken);
        return silence;
    }

    /// <summary>Ends a silence now (it stays in the list, ended).</summary>
    public async Task<AlertSilence> EndSilenceAsync(Guid id, string by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var silence = await db.AlertSilences.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundError($"No silence has the id '{id}'.");
        if (silence.EndedAt is null)
        {
            silence.EndedAt = time.GetUtcNow().UtcDateTime;
            silence.EndedBy = by;
            await db.SaveChangesAsync(cancellationToken);
        }
        return silence;
    }

    public sealed record CreatedContactPoint(ContactPoint ContactPoint, string? Secret);

    public async Task<CreatedContactPoint> CreateContactPointAsync(ContactPointInput input, string by, CancellationToken cancellationToken)
    {
        var contact = new ContactPoint { Id = Guid.NewGuid(), Name = Name(input.Name), Kind = Kind(input.Kind), CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = by, Enabled = input.Enabled };
        var shown = Configure(contact, input, creating: true);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ContactPoints.Add(contact);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedContactPoint(contact, shown);
    }

    /// <summary>Changes a contact point; a secret left out is kept. Re-enabling clears why it was disabled.</summary>
    public async Task<CreatedContactPoint> UpdateContactPointAsync(Guid id, ContactPointInput input, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contact = await db.ContactPoints.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundError($"No contact point has the id '{id}'.");
        if (!string.Equals(Kind(input.Kind), contact.Kind, StringComparison.Ordinal))
            throw new InvalidInputError("A contact point's kind cannot change: create another.");
        contact.Name = Name(input.Name);
        var shown = Configure(contact, input, creating: false);
        contact.Enabled = input.Enabled;
        if (input.Enabled)
            contact.DisabledReason = null;
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedContactPoint(contact, shown);
    }

    public async Task DeleteContactPointAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var contact = await db.ContactPoints.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundError($"No contact point has the id '{id}'.");
        db.ContactPoints.Remove(contact);
        await db.SaveChangesAsync(cancellationToken); // its queued notifications are abandoned by the dispatcher ("deleted")
    }

    /// <summary>Validates and stores what the kind needs; returns a secret generated now (shown once), if any.</summary>
    private string? Configure(ContactPoint contact, ContactPointInput input, bool creating)
    {
        switch (contact.Kind)
        {
            case ContactKinds.Email:
                var addresses = (input.Addresses ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                if (addresses.Count is 0 or > 50)
                    throw new InvalidInputError("An EMAIL contact point has 1 to 50 addresses.");
                foreach (var address in addresses)
                {
                    if (!MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
                        throw new InvalidInputError($"'{address}' is not an email address.");
                }
                contact.Target = string.Join(',', addresses);
                return null;
            case ContactKinds.Slack:
                if (input.Url is null && !creating)
                    return null;
                var slack = Url(input.Url, "A SLACK contact point needs its incoming webhook URL.");
                contact.Target = slack.Host;
                contact.ProtectedSecret = secrets.Protect(slack.ToString());
                return null;
            default:
                contact.Target = Url(input.Url, "A WEBHOOK contact point needs its URL.").ToString();
                if (input.Secret is null && !creating)
                    return null;
                var secret = input.Secret ?? StandardWebhook.NewSecret();
                if (!StandardWebhook.IsValidSecret(secret))
                    throw new InvalidInputError("The secret is a whsec_ key: 'whsec_' and 24 to 64 bytes in base64.");
                contact.ProtectedSecret = secrets.Protect(secret);
                return input.Secret is null ? secret : null;
        }
    }

    private static Uri Url(string? url, string missing)
    {
        if (string.IsNullOrWhiteSpace(url))
            throw new InvalidInputError(missing);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Length > 2000)
            throw new InvalidInputError("The URL must be an absolute http(s) URL of at most 2000 characters.");
        return uri;
    }

    private static string Kind(string kind) =>
        ContactKinds.All.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidInputError($"A contact point is {string.Join(", ", ContactKinds.All)}.");

    /// <summary>The ids, checked to exist, as stored (comma-separated).</summary>
    internal static async Task<string> ContactPointsAsync(KlaviyoDbContext db, List<string>? ids, CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count == 0)
            return "";
        var parsed = ids.Select(i => Guid.TryParse(i, out var g) ? g : throw new InvalidInputError($"'{i}' is not a contact point id.")).Distinct().ToList();
        var known = await db.ContactPoints.Where(c => parsed.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        if (parsed.FirstOrDefault(p => !known.Contains(p)) is var unknown && unknown != Guid.Empty)
            throw new NotFoundError($"No contact point has the id '{unknown}'.");
        return string.Join(',', parsed);
    }

    internal static string Name(string name)
    {
        name = name.Trim();
        return name.Length is >= 1 and <= 200 ? name : throw new InvalidInputError("A name has 1 to 200 characters.");
    }

    private static string Comment(string comment) => comment.Length <= 1000 ? comment.Trim() : throw new InvalidInputError("A comment has at most 1000 characters.");
}
