using System.Security.Cryptography;
using System.Text;
using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// The diagnostic the evaluator cannot make: the database not answering (with several instances, no
/// instance can lead then either). Every instance pings the database; after
/// <see cref="AlertOptions.OutageAfter"/> it tells the contact points it last saw directly — the outbox
/// lives in the database — under one message id per episode and contact point that every retry reuses,
/// unless the built-in rule was disabled or silenced when the database last answered. When the database
/// answers again it sends the resolution and writes the episode into the permanent log.
/// </summary>
public sealed class OutageWatch(
    DatabaseProbe probe,
    IDbContextFactory<KlaviyoDbContext> contexts,
    IEnumerable<IContactSender> senders,
    ContactPointSecrets secrets,
    AlertMessages messages,
    LeaderLease lease,
    TimeProvider time,
    IOptions<AlertOptions> options,
    ILogger<OutageWatch> logger) : BackgroundService
{
    public const string RuleKey = "diagnostic:database-unreachable";

    private sealed class Episode(DateTime since, string error)
    {
        public DateTime Since { get; } = since;
        public string Error { get; } = error;
        public HashSet<Guid> Told { get; } = [];
    }

    private readonly Dictionary<string, IContactSender> _senders = senders.ToDictionary(s => s.Kind);
    // What the database said when it last answered: whom to tell, and whether the rule may speak.
    private List<ContactPoint> _contacts = [];
    private AlertRule? _rule;
    private bool _silenced;
    private Episode? _episode;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        using var timer = new PeriodicTimer(options.Value.OutageCheck, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("The outage watch failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One look: ping, and tell or log what changed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var (reachable, _, error) = await probe.PingAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (!reachable)
        {
            _episode ??= new Episode(now, error ?? "no answer");
            if (now - _episode.Since >= options.Value.OutageAfter && _rule is { Enabled: true } && !_silenced)
                await TellAsync(_episode, nameof(AlertState.Firing), now, cancellationToken);
            return;
        }
        if (_episode is { } ended)
        {
            _episode = null;
            if (ended.Told.Count > 0)
                await EndAsync(ended, now, cancellationToken);
        }
        await RememberAsync(now, cancellationToken);
    }

    private async Task RememberAsync(DateTime now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        _contacts = await db.ContactPoints.AsNoTracking().Where(c => c.Enabled).ToListAsync(cancellationToken);
        _rule = await db.AlertRules.AsNoTracking().SingleOrDefaultAsync(r => r.BuiltIn == RuleKey, cancellationToken);
        _silenced = _rule is not null && await db.AlertSilences.AnyAsync(s => s.RuleId == _rule.Id && s.EndedAt == null && s.StartsAt <= now && (s.EndsAt == null || s.EndsAt > now), cancellationToken);
    }

    /// <summary>The resolution to those told, and the episode into the log (the database answers again).</summary>
    private async Task EndAsync(Episode episode, DateTime now, CancellationToken cancellationToken)
    {
        await TellAsync(episode, nameof(AlertState.Resolved), now, cancellationToken);
        if (_rule is not { } rule)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AlertLog.AddRange(
            Entry(rule, episode, nameof(AlertState.Normal), nameof(AlertState.Firing), episode.Since, $"The database did not answer from {episode.Since:u}: {episode.Error}"),
            Entry(rule, episode, nameof(AlertState.Firing), nameof(AlertState.Resolved), now, $"The database answers again after {(now - episode.Since).TotalMinutes:0.#} min."));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task TellAsync(Episode episode, string state, DateTime now, CancellationToken cancellationToken)
    {
        var entry = Entry(_rule!, episode, state == nameof(AlertState.Firing) ? nameof(AlertState.Normal) : nameof(AlertState.Firing), state,
            state == nameof(AlertState.Firing) ? episode.Since : now,
            state == nameof(AlertState.Firing)
                ? $"Instance {lease.InstanceId} cannot reach the database since {episode.Since:u} ({episode.Error}){(lease.Enabled ? "; no instance can lead the sync meanwhile" : "")}. Nothing syncs and no other alert is evaluated until it answers."
                : $"Instance {lease.InstanceId} reaches the database again (down {(now - episode.Since).TotalMinutes:0.#} min).");
        var targets = state == nameof(AlertState.Firing) ? _contacts.Where(c => !episode.Told.Contains(c.Id)) : _contacts.Where(c => episode.Told.Contains(c.Id));
        foreach (var contact in targets.ToList())
        {
            // One id per episode, state and contact point: a retry (the next look) sends the same message.
            var id = MessageId($"{lease.InstanceId}:{episode.Since.Ticks}:{state}:{contact.Id}");
            var message = messages.Render(id, [new AlertMessages.Item(entry, false)]);
            var recipients = contact.Kind == ContactKinds.Email ? NotificationDispatcher.Addresses(contact.Target) : [];
            var result = await _senders[contact.Kind].SendAsync(contact, secrets.Unprotect(contact.ProtectedSecret), recipients, message, cancellationToken);
            if (result is SendResult.Sent && state == nameof(AlertState.Firing))
                episode.Told.Add(contact.Id);
            else if (result is not SendResult.Sent)
                logger.LogWarning("Telling {Contact} that the database is {State}: {Result}", contact.Name, state.ToLowerInvariant(), result);
        }
    }

    private AlertLogEntry Entry(AlertRule rule, Episode episode, string from, string to, DateTime at, string message) => new()
    {
        Id = MessageId($"log:{lease.InstanceId}:{episode.Since.Ticks}:{to}"),
        RuleId = rule.Id,
        RuleName = rule.Name,
        RuleVersion = rule.Version,
        Key = $"instance:{lease.InstanceId}",
        Subject = lease.Enabled ? $"instance {lease.InstanceId}" : "",
        From = from,
        To = to,
        At = at,
        Message = message,
        Link = "/#diagnostics",
        Labels = rule.Labels,
    };

    private static Guid MessageId(string text) => new(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
