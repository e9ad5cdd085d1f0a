using Klaviyo.Core.Data;
using Klaviyo.Core.Metrics;
using Klaviyo.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.Testing.Faults;

/// <summary>What a fault cost: events Klaviyo has that the database lacks, events counted twice, rollups that disagree with the events.</summary>
public sealed record Integrity(long Events, long Lost, long Duplicated, bool RollupsEqual)
{
    /// <summary>
    /// Compares the database with the sandbox account: every event received before <paramref name="syncedFrom"/>
    /// (the start of a run that completed) must be stored once; nothing may be stored that the account never
    /// sent by <paramref name="syncedTo"/>; rollups must equal a recomputation from the stored events.
    /// </summary>
    public static async Task<Integrity> CheckAsync(KlaviyoDbContext db, SandboxAccount account, DateTime syncedFrom, DateTime syncedTo)
    {
        var stored = await db.Events.AsNoTracking().ToListAsync();
        var ids = stored.Select(e => e.Id).ToHashSet();
        var required = account.EventCountAt(syncedFrom);
        long lost = 0;
        for (var i = 0L; i < required; i++)
        {
            if (!ids.Contains(account.Event(i).Id))
                lost++;
        }
        var sent = new HashSet<string>();
        for (var i = 0L; i < account.EventCountAt(syncedTo); i++)
            sent.Add(account.Event(i).Id);
        var phantom = ids.Count(id => !sent.Contains(id));

        // A rollup applied twice (a page committed twice, two runs over one page) shows as more counted than stored.
        var rollups = await db.MetricRollups.AsNoTracking().ToListAsync();
        var counted = rollups.Where(r => r.Granularity == RollupGranularity.Day).Sum(r => r.Count);
        var expected = MetricRollupBuilder.From(stored);
        var equal = Key(rollups).SetEquals(Key(expected));
        return new Integrity(stored.Count, lost, phantom + Math.Max(0, counted - stored.Count), equal);
    }

    private static HashSet<string> Key(IEnumerable<MetricRollup> rollups) =>
        // Buckets emptied to zero (never here) and value sums up to rounding are the same rollups.
        [.. rollups.Where(r => r.Count != 0).Select(r => $"{r.MetricId}|{r.Granularity}|{r.BucketStart:O}|{r.Channel}|{r.Count}|{Math.Round(r.SumValue, 2)}")];
}
