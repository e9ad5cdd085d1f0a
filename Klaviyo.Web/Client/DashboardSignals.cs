using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// Tells the sections of one open dashboard to load again: after a push (only the sections reading
/// the entities that changed) or after Refresh (all of them). Sections subscribe when they appear.
/// </summary>
public sealed class DashboardSignals(DashboardClient client)
{
    private readonly List<Func<IReadOnlyCollection<SyncEntity>?, Fetch, Task>> _listeners = [];
    private readonly Lock _gate = new();

    public IDisposable Listen(Func<IReadOnlyCollection<SyncEntity>?, Fetch, Task> reload)
    {
        lock (_gate)
            _listeners.Add(reload);
        return new Subscription(() =>
        {
            lock (_gate)
                _listeners.Remove(reload);
        });
    }

    /// <summary>
    /// Reloads the sections reading any of <paramref name="entities"/> (every section when null) past the
    /// dashboard's cache: the server evicted its own before pushing, so no forceFresh — many dashboards
    /// refetching at once cost it one computation per distinct query.
    /// </summary>
    public Task RefetchAsync(IReadOnlyCollection<SyncEntity>? entities, Fetch fetch = Fetch.Latest)
    {
        Func<IReadOnlyCollection<SyncEntity>?, Fetch, Task>[] listeners;
        lock (_gate)
            listeners = [.. _listeners];
        return Task.WhenAll(listeners.Select(l => l(entities, fetch)));
    }

    /// <summary>Drops every result the dashboard cached and has the server recompute every section on screen (Refresh).</summary>
    public async Task ForceRefreshDataAsync()
    {
        await client.ClearCacheAsync();
        await RefetchAsync(null, Fetch.ForceFresh);
    }

    /// <summary>Whether a section reading <paramref name="reads"/> must reload for this signal.</summary>
    public static bool Affects(IReadOnlyCollection<SyncEntity>? changed, IReadOnlyCollection<SyncEntity> reads) =>
        changed is null || changed.Any(reads.Contains);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
