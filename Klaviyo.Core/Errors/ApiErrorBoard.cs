using System.Collections.Concurrent;
using Klaviyo.Core.Data;
using Klaviyo.Core.Sync;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Errors;

/// <summary>
/// The errors happening now, one per source and entity. The only publisher of <c>apiErrors</c>
/// events: an error is announced when it starts (or its code changes) and announced resolved when
/// it stops, so alerts can clear; repeats only count. Freshness labels, diagnostics and the
/// readiness check read it.
/// </summary>
public sealed class ApiErrorBoard(EventBus bus, IDbContextFactory<KlaviyoDbContext> contexts, TimeProvider time, IHostEnvironment environment, ILogger<ApiErrorBoard> logger) : IHostedService
{
    private readonly ConcurrentDictionary<(ApiErrorSource Source, SyncEntity? Entity), CurrentError> _current = new();
    private readonly Lock _gate = new();
    // Read by every request (a response may be stored only while nothing fails); ConcurrentDictionary's
    // own IsEmpty takes all its locks when the board is empty, which is nearly always. Written under _gate.
    private volatile int _count;

    public IReadOnlyList<CurrentError> Current => [.. _current.Values.OrderBy(e => e.Since)];

    public bool IsEmpty => _count == 0;

    /// <summary>True when a payload reading these entities cannot be called live: one of them failed its latest sync, or the database is failing.</summary>
    public bool AffectsAny(IReadOnlyCollection<SyncEntity> entities) =>
        !IsEmpty && _current.Keys.Any(k => k.Source == ApiErrorSource.Database || k.Entity is SyncEntity e && entities.Contains(e));

    /// <summary>Said instead of the server's own exception text outside Development (Klaviyo's answers are not internal and stay).</summary>
    public const string DetailInLog = "Details are in the server log.";

    public void Raise(ErrorClassifier.Classified error, SyncEntity? entity = null)
    {
        var detail = error.Detail;
        if (error.Source != ApiErrorSource.Klaviyo && !environment.IsDevelopment())
            error = error with { Detail = DetailInLog };
        var now = time.GetUtcNow().UtcDateTime;
        var key = (error.Source, entity);
        bool announce;
        lock (_gate)
        {
            // Any other error of this entity is superseded: an entity has one latest failure.
            if (entity is not null)
                foreach (var other in _current.Keys.Where(k => k.Entity == entity && k != key).ToList())
                    _current.TryRemove(other, out _);
            var existing = _current.GetValueOrDefault(key);
            announce = existing is null || existing.Code != error.Code;
            _current[key] = existing is not null && !announce
                ? existing with { Message = error.Message, Detail = error.Detail, LastSeen = now, Occurrences = existing.Occurrences + 1 }
                : new CurrentError(error.Source, error.Code, error.Message, error.Detail, entity, now, now, 1);
            _count = _current.Count;
        }
        if (announce)
        {
            logger.LogWarning("{Source} error {Code}{Entity}: {Message} ({Detail})", error.Source, error.Code, entity is null ? "" : $" ({entity})", error.Message, detail);
            bus.Publish(new ApiErrorEvent(error.Source, error.Code, error.Message, error.Detail, entity, false, now));
        }
    }

    /// <summary>The entity synced successfully: whatever failed it is over.</summary>
    public void Resolve(SyncEntity entity) => ResolveWhere(k => k.Entity == entity, $"{entity} syncs again.");

    /// <summary>The source answered again (the database after an outage).</summary>
    public void Resolve(ApiErrorSource source) => ResolveWhere(k => k.Source == source && k.Entity is null, $"The {source.ToString().ToLowerInvariant()} answers again.");

    private void ResolveWhere(Func<(ApiErrorSource Source, SyncEntity? Entity), bool> match, string message)
    {
        if (IsEmpty)
            return;
        List<CurrentError> resolved = [];
        lock (_gate)
        {
            foreach (var key in _current.Keys.Where(match).ToList())
                if (_current.TryRemove(key, out var error))
                    resolved.Add(error);
            _count = _current.Count;
        }
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var error in resolved)
        {
            logger.LogInformation("{Source} error {Code} resolved after {Seconds:F0} s", error.Source, error.Code, (now - error.Since).TotalSeconds);
            bus.Publish(new ApiErrorEvent(error.Source, error.Code, message, null, error.Entity, true, now));
        }
    }

    /// <summary>An error another instance raised or resolved (it syncs; this one labels its answers alike).</summary>
    public void Apply(ApiErrorEvent remote)
    {
        if (remote.Resolved)
            ResolveWhere(k => k.Source == remote.Source && k.Entity == remote.Entity, remote.Message);
        else
            Raise(new ErrorClassifier.Classified(remote.Source, remote.Code, remote.Message, remote.Detail ?? remote.Message, null), remote.Entity);
    }

    /// <summary>Entities whose latest sync failed before a restart are still failing: load them, without announcing.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var failed = await db.SyncStates.AsNoTracking().Where(s => s.Status == SyncStatusKind.Failed && s.LastErrorCode != null).ToListAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            lock (_gate)
            {
                foreach (var state in failed)
                {
                    var source = state.LastErrorCode!.StartsWith("KLAVIYO_", StringComparison.Ordinal) ? ApiErrorSource.Klaviyo
                        : state.LastErrorCode == ErrorCodes.DatabaseUnavailable ? ApiErrorSource.Database : ApiErrorSource.Sync;
                    _current.TryAdd((source, state.Entity), new CurrentError(source, state.LastErrorCode, state.LastError ?? state.LastErrorCode, null, state.Entity, state.LastAttemptAt ?? now, state.LastAttemptAt ?? now, 1));
                }
                _count = _current.Count;
            }
        }
        catch (Exception e) when (ErrorClassifier.IsDatabase(e))
        {
            // The schema may not exist yet (first start) or the database is down: the sync will raise what is wrong.
            logger.LogDebug(e, "Could not load failing entities at start");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
