using Klaviyo.Core.Alerts.Delivery;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Alerts;

/// <summary>
/// Evaluates the rules on the sync leader only (so two instances never decide twice): each rule at
/// its own interval and again right after a sync committed new data. A pass writes, in one fenced
/// transaction, the instances' new states, one log row per change and the outbox rows that will
/// tell people — so a crash loses no decision and a deposed leader's pass is refused.
/// </summary>
public sealed class AlertEvaluator(
    IDbContextFactory<KlaviyoDbContext> contexts,
    AlertSampler sampler,
    NotificationPlanner planner,
    NotificationDispatcher dispatcher,
    LeaderLease lease,
    EventBus bus,
    TimeProvider time,
    IOptions<AlertOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<AlertEvaluator> logger) : LeaderLoop(lease, logger)
{
    // One pass at a time: the loop's and an Operator's evaluateAlerts would otherwise both create the same new alert.
    private readonly SemaphoreSlim _pass = new(1, 1);
    private DateTime _dataChangedAt = DateTime.MinValue;
    private IDisposable? _dataChanges;

    /// <summary>Passes completed (tests wait on it instead of sleeping).</summary>
    public long Passes => Interlocked.Read(ref _passes);
    private long _passes;

    protected override bool Enabled => options.Value.Enabled;
    protected override TimeSpan Interval => options.Value.Tick;
    protected override string Work => "Alert evaluation";

    protected override async Task StartingAsync(CancellationToken stoppingToken)
    {
        _dataChanges = bus.Observe<DataChangedEvent>().Subscribe(e =>
        {
            _dataChangedAt = e.At;
            Wake();
        });
        // Not before the server listens: the first minute belongs to the first sync and the first screen.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(started.SetResult))
            await started.Task.WaitAsync(stoppingToken);
    }

    protected override async Task<TimeSpan?> RunAsync(CancellationToken stoppingToken)
    {
        await PassAsync(force: false, stoppingToken);
        return null;
    }

    public override void Dispose()
    {
        _dataChanges?.Dispose();
        _pass.Dispose();
        base.Dispose();
    }

    /// <summary>One pass: every enabled rule that is due (all of them when forced). Returns the state changes.</summary>
    public async Task<IReadOnlyList<AlertChange>> PassAsync(bool force, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await EvaluateAsync(force, cancellationToken);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<IReadOnlyList<AlertChange>> EvaluateAsync(bool force, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await SeedDefaultsAsync(db, time.GetUtcNow().UtcDateTime, cancellationToken);
        var rules = await db.AlertRules.Where(r => r.Enabled).ToListAsync(cancellationToken);
        // The pass's instant is taken after the rules are read: a rule silenced and then enabled while the pass
        // began finds its silence started by then (taken before, the silence was "not yet started" and the rule
        // fired unsilenced).
        var now = time.GetUtcNow().UtcDateTime;
        var changes = new List<AlertChange>();
        var silences = await db.AlertSilences.Where(s => s.EndedAt == null && s.StartsAt <= now && (s.EndsAt == null || s.EndsAt > now)).ToListAsync(cancellationToken);
        var pass = new NotificationPlanner.Pass(silences, await db.ContactPoints.AsNoTracking().Where(c => c.Enabled).ToListAsync(cancellationToken), now);
        foreach (var rule in rules)
            await EvaluateRuleAsync(db, rule, force, pass, changes, cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await Lease.FenceAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        Interlocked.Increment(ref _passes);
        if (changes.Count > 0)
        {
            var firing = await db.AlertInstances.CountAsync(i => i.State == nameof(AlertState.Firing), cancellationToken);
            bus.Publish(new AlertsChangedEvent(changes, firing, now));
            dispatcher.Wake();
        }
        return changes;
    }

    private static async Task SeedDefaultsAsync(KlaviyoDbContext db, DateTime now, CancellationToken cancellationToken)
    {
        if (await AlertDefaults.SeedAsync(db, now, cancellationToken) == 0)
            return;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance (a leader a moment ago) seeded the same built-in rules: theirs stand.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Samples one rule when it is due and moves each of its instances (one per key observed) through the state machine.</summary>
    private async Task EvaluateRuleAsync(KlaviyoDbContext db, AlertRule rule, bool force, NotificationPlanner.Pass pass, List<AlertChange> changes, CancellationToken cancellationToken)
    {
        var now = pass.Now;
        AlertDefinition definition;
        try
        {
            definition = AlertJson.Read(rule.Definition);
        }
        catch (System.Text.Json.JsonException e)
        {
            rule.LastError = $"The stored definition cannot be read: {e.Message}";
            return;
        }
        var due = force || rule.LastEvaluatedAt is not { } last || now - last >= definition.EvaluateEvery
            || definition.Kind != AlertKind.Diagnostic && last < _dataChangedAt && now - last >= AlertDefinition.MinimumInterval;
        if (!due)
            return;
        var observations = await SampleAsync(rule, definition, cancellationToken);
        rule.LastEvaluatedAt = now;
        var instances = await db.AlertInstances.Where(i => i.RuleId == rule.Id).ToDictionaryAsync(i => i.Key, cancellationToken);
        var seen = new HashSet<string>();
        foreach (var observation in observations ?? [])
        {
            seen.Add(observation.Key);
            if (!instances.TryGetValue(observation.Key, out var instance))
            {
                // A new alert starts NORMAL: only a condition, not its discovery, is news.
                if (observation.Condition != true && observations!.Count > 1)
                    continue;
                instance = new AlertInstance { RuleId = rule.Id, Key = observation.Key, Subject = observation.Subject, State = nameof(AlertState.Normal), StateSince = now };
                db.AlertInstances.Add(instance);
                instances[observation.Key] = instance;
            }
            Apply(db, rule, definition, instance, observation, pass, changes);
        }
        foreach (var instance in instances.Values.Where(i => !seen.Contains(i.Key)))
        {
            // Not read this time: on a failed evaluation, ERROR; otherwise the flow, campaign or error it watched is gone, so its condition cleared.
            var cleared = observations is null ? null : new Observation(instance.Key, instance.Subject, false, null, null, "No longer observed.");
            Apply(db, rule, definition, instance, cleared, pass, changes);
            if (instance.State == nameof(AlertState.Normal))
                db.AlertInstances.Remove(instance); // nothing left to remember: it comes back if it is observed again
        }
    }

    /// <summary>What the rule watches now; null when it could not be read (the rule says why, its instances go to ERROR).</summary>
    private async Task<IReadOnlyList<Observation>?> SampleAsync(AlertRule rule, AlertDefinition definition, CancellationToken cancellationToken)
    {
        try
        {
            var observations = await sampler.SampleAsync(definition, cancellationToken);
            rule.LastError = null;
            return observations;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Alert rule {Rule} could not be evaluated: {Error}", rule.Name, e.Message);
            rule.LastError = e is Errors.AppError ? e.Message : "The rule could not be evaluated; details are in the server log.";
            return null;
        }
    }

    private void Apply(KlaviyoDbContext db, AlertRule rule, AlertDefinition definition, AlertInstance instance, Observation? observation, NotificationPlanner.Pass pass, List<AlertChange> changes)
    {
        var now = pass.Now;
        var before = AlertStateMachine.Apply(instance, observation, definition, now);
        if (observation is null)
            instance.Message = rule.LastError;
        var state = Enum.Parse<AlertState>(instance.State);
        if (before is not { } from)
        {
            if (state == AlertState.Firing && instance.LastNotifiedAt is { } notified && now - notified >= options.Value.RepeatInterval)
                planner.Repeat(db, rule, instance, pass);
            return;
        }
        // Between NORMAL and NO_DATA nothing happened to the numbers (not synced yet, no history): not news, not logged.
        if (IsQuiet(from) && IsQuiet(state) || from == AlertState.Resolved && state == AlertState.Normal)
            return;
        var entry = new AlertLogEntry
        {
            Id = Guid.NewGuid(),
            RuleId = rule.Id,
            RuleName = rule.Name,
            RuleVersion = rule.Version,
            Key = instance.Key,
            Subject = instance.Subject,
            From = from.ToString(),
            To = state.ToString(),
            At = now,
            Value = instance.Value,
            Expected = instance.Expected,
            Message = instance.Message,
            Link = observation?.Link,
            Labels = rule.Labels,
            Silenced = state is AlertState.Firing or AlertState.Resolved ? NotificationPlanner.SilencedBy(rule, instance, pass.Silences) : null,
        };
        db.AlertLog.Add(entry);
        instance.FiredEntryId = state == AlertState.Firing ? entry.Id : instance.FiredEntryId;
        changes.Add(new AlertChange(rule.Id, rule.Name, instance.Key, instance.Subject, entry.From, entry.To, instance.Message));
        if (state is AlertState.Firing or AlertState.Resolved)
            planner.Plan(db, rule, instance, entry, pass);
        if (state is AlertState.Resolved or AlertState.Normal)
            NotificationPlanner.EndDismissals(rule, instance, pass);
    }

    private static bool IsQuiet(AlertState state) => state is AlertState.Normal or AlertState.NoData;
}
