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
    private (long WorkingSet, long Heap, long Committed) _highest;

    public MemorySampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));

    public string Highest
    {
        get
        {
            var (workingSet, heap, committed) = _highest;
            return $"{workingSet / 1_048_576:N0} / {heap / 1_048_576:N0} / {committed / 1_048_576:N0} MiB";
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        lock (_timer)
        {
            if (process.WorkingSet64 > _highest.WorkingSet)
                _highest = (process.WorkingSet64, info.HeapSizeBytes, info.TotalCommittedBytes);
        }
    }

    public void Dispose() => _timer.Dispose();
}
