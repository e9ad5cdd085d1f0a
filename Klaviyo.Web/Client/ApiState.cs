using System.Diagnostics;
using Klaviyo.Web.Client.Models;

namespace Klaviyo.Web.Client;

/// <summary>
/// One browser session's view of the API: the errors to show and the requests made. Errors are
/// raised by code, deduplicated, cleared when the failing section succeeds or the server says
/// they are resolved, and dismissible.
/// </summary>
public sealed class ApiState(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClientError> _errors = [];
    private readonly HashSet<string> _dismissed = [];
    private long _requests, _cacheHits, _cacheMisses, _failures, _pending;
    private double _latencyTotalMs, _lastLatencyMs;

    public event Action? Changed;

    public IReadOnlyList<ClientError> Errors
    {
        get
        {
            lock (_gate)
                return [.. _errors.Values.Where(e => !_dismissed.Contains(e.Key)).OrderBy(e => e.FirstSeen)];
        }
    }

    public ClientStatistics Statistics
    {
        get
        {
            lock (_gate)
                return new ClientStatistics(_requests, _cacheHits, _cacheMisses, _failures, _pending,
                    _requests == 0 ? null : _latencyTotalMs / _requests, _requests == 0 ? null : _lastLatencyMs);
        }
    }

    public void CacheHit() => Update(() => _cacheHits++);

    /// <summary>Starts timing a request to the server; dispose when it ends.</summary>
    public RequestTimer Begin()
    {
        Update(() =>
        {
            _cacheMisses++;
            _pending++;
        });
        return new RequestTimer(this, Stopwatch.GetTimestamp());
    }

    public void Raise(string section, GraphQLClientException error, SyncEntity? entity = null) =>
        Raise(new ClientError(error.Code, error.Message, error.Detail, section, entity, Now, Now, 1));

    public void Raise(ApiErrorEvent pushed) =>
        Raise(new ClientError(pushed.Code, pushed.Message, pushed.Detail, "server", pushed.Entity, pushed.At, pushed.At, 1));

    /// <summary>A section's request succeeded: its own errors are over.</summary>
    public void Succeeded(string section) => RemoveWhere(e => e.Section == section);

    /// <summary>
    /// The server's current errors, read after the push channel was down: pushed errors that are not
    /// among them were resolved while this session could not hear it.
    /// </summary>
    public void ServerErrorsAre(IReadOnlyCollection<ApiErrorEvent> current)
    {
        var keys = current.Select(e => ClientError.KeyOf(e.Code, e.Entity, "server")).ToHashSet();
        RemoveWhere(e => e.Section == "server" && !keys.Contains(e.Key));
        foreach (var error in current)
            Raise(error);
    }

    /// <summary>The server says an error stopped happening.</summary>
    public void Resolved(ApiErrorEvent resolved) => RemoveWhere(e => e.Code == resolved.Code && (resolved.Entity is null || e.Entity == resolved.Entity));

    public void Dismiss(string key) => Update(() => _dismissed.Add(key));

    private void Raise(ClientError error)
    {
        Update(() =>
        {
            if (_errors.TryGetValue(error.Key, out var existing))
                _errors[error.Key] = existing with { Message = error.Message, Detail = error.Detail ?? existing.Detail, LastSeen = error.LastSeen, Occurrences = existing.Occurrences + 1 };
            else
            {
                _errors[error.Key] = error;
                _dismissed.Remove(error.Key); // a new occurrence after dismissal is news again
            }
        });
    }

    private void RemoveWhere(Func<ClientError, bool> match)
    {
        var changed = false;
        lock (_gate)
        {
            foreach (var key in _errors.Values.Where(match).Select(e => e.Key).ToList())
                changed |= _errors.Remove(key) | _dismissed.Remove(key);
        }
        if (changed)
            Changed?.Invoke();
    }

    private void Update(Action change)
    {
        lock (_gate)
            change();
        Changed?.Invoke();
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public sealed class RequestTimer(ApiState state, long started) : IDisposable
    {
        private bool _failed;

        public void Failed() => _failed = true;

        public void Dispose()
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            state.Update(() =>
            {
                state._pending--;
                state._requests++;
                state._latencyTotalMs += elapsed;
                state._lastLatencyMs = elapsed;
                if (_failed)
                    state._failures++;
            });
        }
    }
}

/// <summary>What this session asked of the server: requests sent, answers from the dashboard's cache, failures, in flight, latency.</summary>
public sealed record ClientStatistics(long Requests, long CacheHits, long CacheMisses, long Errors, long Pending, double? AverageLatencyMs, double? LastLatencyMs);
