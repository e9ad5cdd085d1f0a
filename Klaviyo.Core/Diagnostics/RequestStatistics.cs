using System.Collections.Concurrent;

namespace Klaviyo.Core.Diagnostics;

/// <summary>GraphQL requests served over HTTP: totals, per operation, errors, in flight, and latency percentiles over the most recent requests.</summary>
public sealed class RequestStatistics
{
    /// <summary>Percentiles are computed over this many latest requests: recent behaviour, flat memory.</summary>
    public const int LatencyWindow = 4096;
    /// <summary>Distinct operation names kept; later ones count under <see cref="Other"/> (names come from clients).</summary>
    public const int MaxOperations = 200;
    public const int MaxNameLength = 64;
    public const string Other = "(other)";

    private readonly ConcurrentDictionary<string, OperationCounter> _operations = new();
    private readonly double[] _latencies = new double[LatencyWindow];
    private readonly Lock _latencyGate = new();
    private long _recorded;
    private long _total, _errors, _inFlight;

    public long Total => Interlocked.Read(ref _total);
    public long Errors => Interlocked.Read(ref _errors);
    public long InFlight => Interlocked.Read(ref _inFlight);

    public event Action<string, double, bool>? Completed;

    public void Started() => Interlocked.Increment(ref _inFlight);

    /// <param name="operation">The operation name, or its type and first field when anonymous.</param>
    public void Finished(string operation, double milliseconds, bool failed)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _total);
        if (failed)
            Interlocked.Increment(ref _errors);
        operation = Bounded(operation);
        var counter = _operations.GetOrAdd(operation, _ => new OperationCounter());
        Interlocked.Increment(ref counter.Count);
        if (failed)
            Interlocked.Increment(ref counter.Errors);
        lock (_latencyGate)
            _latencies[_recorded++ % LatencyWindow] = milliseconds;
        Completed?.Invoke(operation, milliseconds, failed);
    }

    /// <summary>
    /// The name statistics and metric tags use: truncated, and once <see cref="MaxOperations"/>
    /// names are known, anything new is <see cref="Other"/> — memory and tag cardinality stay bounded
    /// whatever clients send.
    /// </summary>
    public string Bounded(string operation)
    {
        if (operation.Length > MaxNameLength)
            operation = operation[..MaxNameLength];
        return _operations.ContainsKey(operation) || _operations.Count < MaxOperations ? operation : Other;
    }

    public IReadOnlyList<OperationStatistics> Operations =>
        [.. _operations.Select(o => new OperationStatistics(o.Key, Interlocked.Read(ref o.Value.Count), Interlocked.Read(ref o.Value.Errors))).OrderByDescending(o => o.Count).ThenBy(o => o.Name, StringComparer.Ordinal)];

    /// <summary>p50, p95 and p99 in milliseconds over the latency window; null before the first request.</summary>
    public (double P50, double P95, double P99)? Percentiles()
    {
        double[] sample;
        lock (_latencyGate)
            sample = _latencies[..(int)Math.Min(_recorded, LatencyWindow)];
        if (sample.Length == 0)
            return null;
        Array.Sort(sample);
        double At(double p) => sample[Math.Min(sample.Length - 1, (int)Math.Ceiling(p * sample.Length) - 1)];
        return (At(0.50), At(0.95), At(0.99));
    }

    private sealed class OperationCounter
    {
        public long Count;
        public long Errors;
    }
}

public sealed record OperationStatistics(string Name, long Count, long Errors);
