using Klaviyo.Core.Data;

namespace Klaviyo.Core.Sync;

/// <summary>How the sync engine runs (section "Sync"). An entity is LATE past twice its interval.</summary>
public sealed class SyncOptions
{
    public const string Section = "Sync";

    /// <summary>Run scheduled syncs in the background; manual runs work either way.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Incremental cursors restart this far before the newest record seen, so nothing at the boundary is missed.</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How far back the periodic sweep re-reads events, for ones that arrive late.</summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromHours(3);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>
    /// A first sync of events reads this much of the most recent history first, then the rest: the
    /// dashboard's default window (the last 30 days, a day either side for any time zone) is known
    /// after a third of a 90-day account's events instead of all of them.
    /// </summary>
    public TimeSpan RecentFirst { get; set; } = TimeSpan.FromDays(32);
    /// <summary>Finished runs older than this are deleted (events alone make ~17 000 runs a day).</summary>
    public TimeSpan RunRetention { get; set; } = TimeSpan.FromDays(7);
    /// <summary>
    /// Events are polled this often while they keep arriving (the last run wrote some), and at their
    /// interval when nothing arrives: freshness where there is traffic, few requests where there is none.
    /// </summary>
    public TimeSpan BusyEventsInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest wait before retrying an entity whose run failed (unless Klaviyo said when); an entity synced more often retries after twice its interval.</summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Backfills (first and full syncs of events and profiles) that fetch and write a page at the same time, across every
    /// account of the deployment; the others wait their turn, page by page. Incremental syncs never wait.
    /// </summary>
    public int ConcurrentBackfills { get; set; } = 2;

    /// <summary>
    /// Backfills under way at once across every account (at least <see cref="ConcurrentBackfills"/>): each holds
    /// the pages it fetched ahead — thousands of parsed events — while it waits for its turn, so the
    /// deployment's memory is bounded by this number, not by how many accounts first-sync together.
    /// The others wait to begin.
    /// </summary>
    public int BackfillPipelines { get; set; } = 8;

    /// <summary>Conversion metrics the campaign and flow reports are fetched for at most (Placed Order included).</summary>
    public int MaxReportMetrics { get; set; } = 3;
    /// <summary>A metric asked for stays in the report plan this long after the last request.</summary>
    public TimeSpan ReportMetricRetention { get; set; } = TimeSpan.FromDays(7);

    public Dictionary<SyncEntity, TimeSpan> Intervals { get; set; } = new()
    {
        [SyncEntity.Events] = TimeSpan.FromSeconds(5),
        [SyncEntity.Campaigns] = TimeSpan.FromMinutes(1),
        [SyncEntity.Flows] = TimeSpan.FromMinutes(5),
        [SyncEntity.Metrics] = TimeSpan.FromMinutes(15),
        [SyncEntity.Segments] = TimeSpan.FromMinutes(15),
        [SyncEntity.Lists] = TimeSpan.FromMinutes(15),
        [SyncEntity.Forms] = TimeSpan.FromMinutes(15),
        [SyncEntity.Profiles] = TimeSpan.FromMinutes(1),
        // Reports share a budget of 225 calls a day across all three.
        [SyncEntity.CampaignReports] = TimeSpan.FromMinutes(30),
        [SyncEntity.FlowReports] = TimeSpan.FromMinutes(30),
        [SyncEntity.FormReports] = TimeSpan.FromMinutes(30),
        // Klaviyo allows 15 account reads a minute; a time zone or currency rarely changes.
        [SyncEntity.Account] = TimeSpan.FromMinutes(15),
    };

    public TimeSpan IntervalOf(SyncEntity entity) => Intervals.GetValueOrDefault(entity, TimeSpan.FromMinutes(15));
}
