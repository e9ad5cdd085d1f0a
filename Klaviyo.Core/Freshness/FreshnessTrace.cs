using Klaviyo.Core.Data;

namespace Klaviyo.Core.Freshness;

/// <summary>
/// What one request's payloads were read from and how they were served, collected by
/// <see cref="FreshCache"/> so the transport can decide whether the whole response may be cached.
/// Flows with the request through <see cref="AsyncLocal{T}"/>: resolvers need no extra argument.
/// </summary>
public sealed class FreshnessTrace
{
    private static readonly AsyncLocal<FreshnessTrace?> Ambient = new();
    private readonly Lock _gate = new();
    private readonly HashSet<SyncEntity> _entities = [];
    private int _answers;
    private bool _uncacheable;

    public static FreshnessTrace? Current => Ambient.Value;

    /// <summary>Starts tracing the current request (the returned scope ends it).</summary>
    public static IDisposable Begin(out FreshnessTrace trace)
    {
        var started = trace = new FreshnessTrace();
        Ambient.Value = started;
        return new Scope();
    }

    public void Record(IEnumerable<SyncEntity> entities, DataSource source)
    {
        lock (_gate)
        {
            foreach (var entity in entities as SyncEntity[] ?? [.. entities])
                _entities.Add(entity);
            _answers++;
            if (source != DataSource.Cache)
                _uncacheable = true;
        }
    }

    /// <summary>The payload changes without a sync (live progress): the response must not be stored.</summary>
    public void MarkUncacheable()
    {
        lock (_gate)
            _uncacheable = true;
    }

    /// <summary>True when exactly <paramref name="rootFields"/> payloads were all served from the cache: the response can be stored as is.</summary>
    public bool AllServedFromCache(int rootFields, out IReadOnlyCollection<SyncEntity> entities)
    {
        lock (_gate)
        {
            entities = [.. _entities];
            return !_uncacheable && _answers == rootFields && rootFields > 0;
        }
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Ambient.Value = null;
    }
}
