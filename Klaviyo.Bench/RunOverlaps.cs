using Klaviyo.Core.Data;

namespace Klaviyo.Bench;

/// <summary>Duplicate runs: two runs that synced one entity at the same time, read from a store's runs table after the fact.</summary>
public static class RunOverlaps
{
    /// <param name="killedAt">When the run's process was SIGKILLed, for a run the next holder marked interrupted (its recorded end is that holder's recovery, not its real end); null otherwise.</param>
    public static int Count(IReadOnlyCollection<SyncRun> runs, Func<SyncRun, DateTime?> killedAt)
    {
        var overlaps = 0;
        foreach (var entity in Enum.GetValues<SyncEntity>())
        {
            var spans = runs.Where(r => r.Entities.Split(',').Contains(entity.ToString()))
                .Select(r => (r.StartedAt, End: r.Error?.StartsWith("Interrupted", StringComparison.Ordinal) == true && killedAt(r) is { } k ? k : r.FinishedAt ?? DateTime.MaxValue))
                .OrderBy(s => s.StartedAt).ToList();
            overlaps += spans.Zip(spans.Skip(1)).Count(p => p.Second.StartedAt < p.First.End);
        }
        return overlaps;
    }
}
