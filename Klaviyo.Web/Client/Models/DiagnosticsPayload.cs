namespace Klaviyo.Web.Client.Models;

public sealed record DiagnosticsData(ServerDiagnostics Diagnostics);

public sealed record ServerDiagnostics(
    ProcessInfo Process,
    RequestInfo Requests,
    CacheInfo Cache,
    KlaviyoInfo Klaviyo,
    DatabaseInfo Database,
    SyncInfo Sync,
    SubscriptionInfo Subscriptions,
    IReadOnlyList<CurrentError> Errors,
    DateTime GeneratedAt);

public sealed record ProcessInfo(string Version, string Environment, double UptimeSeconds, long WorkingSetBytes, long GcHeapBytes, int Threads);

public sealed record RequestInfo(long Total, long Errors, long InFlight, double? P50Ms, double? P95Ms, double? P99Ms, IReadOnlyList<OperationCount> Operations);

public sealed record OperationCount(string Name, long Count, long Errors);

public sealed record CacheInfo(long Hits, long ResponseHits, long Misses, long FailSafeActivations, long Evictions, double? HitRatio);

public sealed record KlaviyoInfo(
    string Mode, string BaseUrl, string Revision, long Requests, long RateLimited, long Retries,
    int? RateLimitRemaining, int ReportCallsToday, int ReportBudgetLeft);

/// <summary>Size and row counts are read for Admins only (they count every table).</summary>
public sealed record DatabaseInfo(string Provider, bool Reachable, double LatencyMs, string? Error, long? SizeBytes = null, IReadOnlyList<TableRowCount>? Tables = null);

public sealed record TableRowCount(string Table, long Rows);

public sealed record SyncInfo(bool ScheduleEnabled, IReadOnlyList<SyncEntity> Running, IReadOnlyList<SyncRunSummary> RecentRuns);

public sealed record SyncRunSummary(string Id, string Trigger, IReadOnlyList<SyncEntity> Entities, DateTime StartedAt, double? DurationSeconds, string Outcome, int Records, string? Error);

public sealed record SubscriptionInfo(long OpenSockets, long ActiveOperations, long SocketsAccepted);

public sealed record CurrentError(string Source, string Code, string Message, string? Detail, SyncEntity? Entity, DateTime Since, DateTime LastSeen, int Occurrences);

/// <summary>What the page needs at its first paint: which account it shows and what is failing now (no row counts).</summary>
public sealed record ServerStateData(AccountCalendar Account, ServerState Diagnostics);

/// <summary>The account's time zone and currency, as every report is read.</summary>
public sealed record AccountCalendar(string Timezone, string Currency);

public sealed record ServerState(AccountMode Klaviyo, IReadOnlyList<CurrentError> Errors)
{
    /// <summary>Read beside the diagnostics in the same request (not part of them).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AccountCalendar Account { get; init; } = new("UTC", "USD");
}

public sealed record AccountMode(string Mode);
