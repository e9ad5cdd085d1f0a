using Klaviyo.Core.Data;
using Klaviyo.Core.RestClient;

namespace Klaviyo.Core.Diagnostics;

public sealed record ProcessDiagnostics(
    string Version, string Environment, DateTime StartedAt, double UptimeSeconds,
    long WorkingSetBytes, long GcHeapBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections, int Threads);

public sealed record RequestDiagnostics(long Total, long Errors, long InFlight, double? P50Ms, double? P95Ms, double? P99Ms, IReadOnlyList<OperationStatistics> Operations);

public sealed record CacheDiagnostics(long Hits, long ResponseHits, long Misses, long FailSafeActivations, long Evictions)
{
    /// <summary>Answers served from the cache (payloads and whole responses) over all answers.</summary>
    public double? HitRatio => Hits + ResponseHits + Misses == 0 ? null : (double)(Hits + ResponseHits) / (Hits + ResponseHits + Misses);
}

public sealed record KlaviyoDiagnostics(
    KlaviyoMode Mode, string BaseUrl, string Revision, long Requests, long RateLimited, long Retries,
    int? RateLimitRemaining, int? ReportCallsToday, int? ReportBudgetLeft);

public sealed record DatabaseDiagnostics(string Provider, bool Reachable, double LatencyMs, string? Error, long? SizeBytes, IReadOnlyList<TableRows> Tables);

public sealed record SyncDiagnostics(bool ScheduleEnabled, IReadOnlyList<SyncEntity> Running, IReadOnlyList<SyncRun> RecentRuns);

public sealed record SubscriptionDiagnostics(long OpenSockets, long ActiveOperations, long SocketsAccepted, int EventListeners);
