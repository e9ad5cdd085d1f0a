namespace Klaviyo.Tests.Components;

/// <summary>GraphQL answers shaped exactly as the operations ask (the client reads them strictly).</summary>
public static class SampleData
{
    public const string Synced = "2026-11-26T10:00:00Z";

    /// <param name="eventsUpdated">When revenue, orders and form submissions were confirmed (their lastUpdated); null: not known yet, so null values and no series, as the server answers.</param>
    /// <param name="reportsUpdated">The same for the report-based rates.</param>
    public static string Overview(double revenue = 1234.5, string dataSource = "LIVE", string? lastUpdated = Synced, string currency = "USD",
        string? eventsUpdated = Synced, string? reportsUpdated = Synced, string? profilesUpdated = Synced) => $$"""
        { "overview": {
            "range": { "start": "2026-10-27T04:00:00Z", "end": "2026-11-26T05:00:00Z" },
            "previousRange": { "start": "2026-09-27T04:00:00Z", "end": "2026-10-27T04:00:00Z" },
            "compareTo": "PREVIOUS_PERIOD",
            "timezone": "America/New_York",
            "currency": "{{currency}}",
            "conversionMetric": { "id": "PO", "name": "Placed Order", "integrationName": "Shopify" },
            "conversionStatisticsAvailable": {{(reportsUpdated is null ? "false" : "true")}},
            "totalRevenue": {{Kpi(revenue, 1000, 23.45, eventsUpdated)}},
            "orders": {{Kpi(12, 10, 20, eventsUpdated)}},
            "activeSubscribers": {{Kpi(300, 310, -3.2, profilesUpdated)}},
            "formSubmissions": {{Kpi(7, null, null, eventsUpdated)}},
            "openRate": {{Kpi(0.4, 0.5, -20, reportsUpdated)}},
            "clickRate": {{Kpi(0.05, 0.05, 0, reportsUpdated)}},
            "conversionRate": {{Kpi(null, null, null, reportsUpdated)}},
            "revenuePerRecipient": {{Kpi(1.25, 1, 25, reportsUpdated)}},
            "channels": [{{(reportsUpdated is null ? "" : """
              { "channel": "EMAIL", "campaigns": 3, "delivered": 1000, "openRate": 0.4, "clickRate": 0.05, "conversionRate": 0.01, "revenue": 900 },
              { "channel": "SMS", "campaigns": 1, "delivered": 200, "openRate": null, "clickRate": 0.1, "conversionRate": 0.02, "revenue": 300 }
            """)}}],
            "attributedRevenueShare": {{(eventsUpdated is null ? "null" : "0.75")}},
            "seriesInterval": "DAY",
            "revenueSeries": [{{(eventsUpdated is null ? "" : """
              { "start": "2026-11-24T05:00:00Z", "end": "2026-11-25T05:00:00Z", "campaign": 100, "flow": 50, "form": 0, "other": 10, "total": 160 },
              { "start": "2026-11-25T05:00:00Z", "end": "2026-11-26T05:00:00Z", "campaign": 200, "flow": 25, "form": 5, "other": 0, "total": 230 }
            """)}}],
            "previousRevenueSeries": [{{(eventsUpdated is null ? "" : """
              { "start": "2026-10-25T04:00:00Z", "end": "2026-10-26T04:00:00Z", "total": 120 },
              { "start": "2026-10-26T04:00:00Z", "end": "2026-10-27T04:00:00Z", "total": 180 }
            """)}}],
            "lastUpdated": {{Json(lastUpdated)}},
            "dataSource": "{{dataSource}}" } }
        """;

    private static string Json(string? instant) => instant is null ? "null" : $"\"{instant}\"";

    private static string Number(double? value) => value is double v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";

    /// <summary>A KPI as the server answers it: unknown (null, lastUpdated null) until what it reads has synced.</summary>
    private static string Kpi(double? value, double? previous, double? change, string? updated) => updated is null
        ? """{ "value": null, "previousValue": null, "changePercent": null, "lastUpdated": null, "previousLastUpdated": null }"""
        : $$"""{ "value": {{Number(value)}}, "previousValue": {{Number(previous)}}, "changePercent": {{Number(change)}}, "lastUpdated": {{Json(updated)}}, "previousLastUpdated": {{Json(updated)}} }""";

    public static string Campaigns(int total, int from, int count, bool hasNext, bool hasPrevious, string? note = null) => $$"""
        { "campaigns": {
            "statisticsNote": {{(note is null ? "null" : System.Text.Json.JsonSerializer.Serialize(note))}},
            "nodes": [{{string.Join(",", Enumerable.Range(from, count).Select(i => $$"""
              { "id": "C{{i}}", "name": "Campaign {{i}}", "status": "Sent", "channel": "email", "sendTime": "2026-11-{{10 + i % 10}}T08:00:00Z",
                "subject": "Hello {{i}}", "delivered": {{1000 + i}}, "openRate": 0.4, "clickRate": 0.05, "conversionRate": 0.01, "revenue": {{100 * i}} }
              """))}}],
            "pageInfo": { "hasNextPage": {{(hasNext ? "true" : "false")}}, "hasPreviousPage": {{(hasPrevious ? "true" : "false")}}, "startCursor": "s{{from}}", "endCursor": "e{{from + count}}" },
            "totalCount": {{total}},
            "lastUpdated": "{{Synced}}",
            "dataSource": "CACHE" } }
        """;

    public static string SyncStatus(string eventsState = "ON_TIME") => $$"""
        { "syncStatus": {
            "entities": [
              { "entity": "EVENTS", "state": "{{eventsState}}", "lastSuccessAt": "{{Synced}}", "coveredFrom": null, "lastAttemptAt": "{{Synced}}", "recordCount": 198000, "lastError": null, "nextRunAt": null, "progress": null },
              { "entity": "CAMPAIGNS", "state": "FAILED", "lastSuccessAt": null, "coveredFrom": null, "lastAttemptAt": "{{Synced}}", "recordCount": 0, "lastError": "Klaviyo is not answering.", "nextRunAt": null, "progress": null }
            ],
            "isSyncing": false, "lastUpdated": null, "dataSource": "FALLBACK" } }
        """;

    /// <summary>A first sync of events that has read the recent part (from 2026-10-25) and is reading older ones.</summary>
    public const string SyncStatusRecentPartIn = """
        { "syncStatus": {
            "entities": [
              { "entity": "EVENTS", "state": "SYNCING", "lastSuccessAt": null, "coveredFrom": "2026-10-25T10:00:00Z", "lastAttemptAt": "2026-11-26T10:00:00Z", "recordCount": 52000, "lastError": null, "nextRunAt": null, "progress": null },
              { "entity": "CAMPAIGNS", "state": "ON_TIME", "lastSuccessAt": "2026-11-26T10:00:00Z", "coveredFrom": null, "lastAttemptAt": "2026-11-26T10:00:00Z", "recordCount": 6, "lastError": null, "nextRunAt": null, "progress": null }
            ],
            "isSyncing": true, "lastUpdated": null, "dataSource": "LIVE" } }
        """;

    public const string RefreshData = """
        { "refreshData": { "scopes": ["CAMPAIGNS", "EVENTS"], "skipped": ["CAMPAIGN_REPORTS"], "run": { "id": "r1", "startedAt": "2026-11-26T10:00:00Z" }, "alreadyRunning": ["EVENTS"], "joinedRunIds": ["r0"] } }
        """;

    public const string Diagnostics = """
        { "diagnostics": {
            "process": { "version": "1.0.0", "environment": "Production", "uptimeSeconds": 3600, "workingSetBytes": 104857600, "gcHeapBytes": 5242880, "threads": 30 },
            "requests": { "total": 321, "errors": 2, "inFlight": 1, "p50Ms": 1.5, "p95Ms": 4.2, "p99Ms": 9.9, "operations": [{ "name": "Overview", "count": 300, "errors": 0 }] },
            "cache": { "hits": 200, "responseHits": 50, "misses": 70, "failSafeActivations": 1, "evictions": 12, "hitRatio": 0.78 },
            "klaviyo": { "mode": "SANDBOX", "baseUrl": "http://127.0.0.1/sandbox/klaviyo/", "revision": "2026-07-15", "requests": 900, "rateLimited": 3, "retries": 4, "rateLimitRemaining": 55, "reportCallsToday": 10, "reportBudgetLeft": 215 },
            "database": { "provider": "Sqlite", "reachable": true, "latencyMs": 0.4, "error": null, "sizeBytes": 73400320, "tables": [{ "table": "events", "rows": 198000 }] },
            "sync": { "scheduleEnabled": true, "running": [], "recentRuns": [{ "id": "r1", "trigger": "SCHEDULE", "entities": ["EVENTS"], "startedAt": "2026-11-26T09:59:00Z", "durationSeconds": 0.8, "outcome": "SUCCEEDED", "records": 12, "error": null }] },
            "subscriptions": { "openSockets": 2, "activeOperations": 6, "socketsAccepted": 9 },
            "errors": [],
            "generatedAt": "2026-11-26T10:00:00Z" } }
        """;
}
