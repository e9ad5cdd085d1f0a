using System.Diagnostics;

namespace Klaviyo.Bench;

/// <summary>
/// The process's working set twice a second, with the GC's heap and committed memory at the same
/// moment: at the highest sample it tells managed objects from what the GC keeps reserved and from
/// native memory (SQLite's page caches, thread stacks, the runtime).
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private readonly Stopwatch _since = Stopwatch.StartNew();
    private (long WorkingSet, long Heap, long Committed, TimeSpan At) _highest;

    public MemorySampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));

    public TimeSpan Elapsed => _since.Elapsed;

    public string Highest
    {
        get
        {
            var (workingSet, heap, committed, at) = _highest;
            return $"{workingSet / 1_048_576:N0} / {heap / 1_048_576:N0} / {committed / 1_048_576:N0} MiB at {at.TotalSeconds:F0} s";
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        lock (_timer)
        {
            if (process.WorkingSet64 > _highest.WorkingSet)
                _highest = (process.WorkingSet64, info.HeapSizeBytes, info.TotalCommittedBytes, _since.Elapsed);
        }
    }

    public void Dispose() => _timer.Dispose();
}
