using Klaviyo.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Core.Freshness;

/// <summary>
/// When each entity was last confirmed against Klaviyo, in memory: <c>lastUpdated</c> is read from
/// here at every answer, not stored with a cached result, so a sync that found nothing new moves
/// every payload's lastUpdated without evicting (and recomputing) anything. Loaded once from sync
/// state; the coordinator moves it forward after each successful entity sync.
/// </summary>
public sealed class SyncClock(IDbContextFactory<KlaviyoDbContext> contexts)
{
    /// <summary>
    /// What is known, replaced whole on each change: every answer reads the clock once per KPI (twenty times
    /// for an overview) while it changes a few times a minute, so reads take no lock.
    /// </summary>
    private sealed record State(Dictionary<SyncEntity, DateTime> Confirmed, Dictionary<SyncEntity, (DateTime From, DateTime At)> Covered);

    private readonly Lock _gate = new();
    private volatile State _state = new([], []);
    private volatile bool _loaded;

    /// <summary>The oldest confirmation of these entities; null while one of them has never synced.</summary>
    public ValueTask<DateTime?> LastUpdatedAsync(IReadOnlyCollection<SyncEntity> entities, CancellationToken cancellationToken) =>
        LastUpdatedAsync(entities, null, cancellationToken);

    /// <summary>
    /// The same for records from <paramref name="from"/> on: an entity whose first sync has stored
    /// everything from there on (<see cref="Covered"/>) counts from then, though older records are still arriving.
    /// </summary>
    public async ValueTask<DateTime?> LastUpdatedAsync(IReadOnlyCollection<SyncEntity> entities, DateTime? from, CancellationToken cancellationToken)
    {
        if (!_loaded)
            await LoadAsync(cancellationToken);
        var state = _state;
        DateTime? oldest = null;
        // Readers pass static arrays: walked as one, with no enumerator to allocate.
        foreach (var entity in entities as SyncEntity[] ?? [.. entities])
        {
            if (!state.Confirmed.TryGetValue(entity, out var at))
            {
                if (from is null || !state.Covered.TryGetValue(entity, out var covered) || from < covered.From)
                    return null;
                at = covered.At;
            }
            if (oldest is null || at < oldest)
                oldest = at;
        }
        return oldest;
    }

    /// <summary>
    /// During a first sync that reads recent records first: the instant from which every record is in
    /// (<see cref="Covered"/>); null once the entity has synced whole, or when no such part is in.
    /// </summary>
    public DateTime? CoveredFrom(SyncEntity entity)
    {
        var state = _state;
        return !state.Confirmed.ContainsKey(entity) && state.Covered.TryGetValue(entity, out var covered) ? covered.From : null;
    }

    /// <summary>Every entity's last confirmation (an entity that never synced is absent).</summary>
    public async ValueTask<IReadOnlyDictionary<SyncEntity, DateTime>> ConfirmationsAsync(CancellationToken cancellationToken)
    {
        if (!_loaded)
            await LoadAsync(cancellationToken);
        return _state.Confirmed;
    }

    /// <summary>A sync of <paramref name="entity"/> succeeded at <paramref name="at"/> (never moves backwards).</summary>
    public void Confirmed(SyncEntity entity, DateTime at)
    {
        lock (_gate)
        {
            if (!_state.Confirmed.TryGetValue(entity, out var known) || at > known)
                _state = _state with { Confirmed = new(_state.Confirmed) { [entity] = at } };
        }
    }

    /// <summary>
    /// The first sync of <paramref name="entity"/> has stored every record from <paramref name="from"/> on, as of
    /// <paramref name="at"/>, and is reading older ones. Kept in memory only: after a restart the sync, resuming,
    /// says so again.
    /// </summary>
    public void Covered(SyncEntity entity, DateTime from, DateTime at)
    {
        lock (_gate)
            _state = _state with { Covered = new(_state.Covered) { [entity] = (from, at) } };
    }

    /// <summary>Reads sync state again on the next answer (its rows were changed outside a sync, e.g. an entity's data was dropped).</summary>
    public void Reload()
    {
        lock (_gate)
        {
            _state = new([], []);
            _loaded = false;
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stored = await db.SyncStates.AsNoTracking()
            .Where(s => s.LastSuccessAt != null)
            .Select(s => new { s.Entity, s.LastSuccessAt })
            .ToListAsync(cancellationToken);
        lock (_gate)
        {
            var confirmed = new Dictionary<SyncEntity, DateTime>(_state.Confirmed);
            foreach (var s in stored)
            {
                if (!confirmed.TryGetValue(s.Entity, out var known) || s.LastSuccessAt!.Value > known)
                    confirmed[s.Entity] = s.LastSuccessAt!.Value;
            }
            _state = _state with { Confirmed = confirmed };
            _loaded = true;
        }
    }
}
