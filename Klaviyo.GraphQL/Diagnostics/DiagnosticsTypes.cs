using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Errors;
using Klaviyo.Core.RestClient;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Reports;
using Klaviyo.GraphQL.Sync;
using Klaviyo.GraphQL.Webhooks;

namespace Klaviyo.GraphQL.Diagnostics;

/// <summary>Each field is read when selected, straight from the <see cref="DiagnosticsReader"/>.</summary>
public sealed class DiagnosticsType : ObjectGraphType<DiagnosticsReader>
{
    public DiagnosticsType()
    {
        Name = "Diagnostics";
        Description = "The server's state now: requests, cache, Klaviyo client, database, sync, subscriptions, webhooks, process and current errors.";
        Field<NonNullGraphType<ProcessDiagnosticsType>>("process").Resolve(c => c.Source.ReadProcess());
        Field<NonNullGraphType<RequestDiagnosticsType>>("requests").Resolve(c => c.Source.ReadRequests());
        Field<NonNullGraphType<CacheDiagnosticsType>>("cache").Resolve(c => c.Source.ReadCache());
        Field<NonNullGraphType<KlaviyoDiagnosticsType>>("klaviyo").ResolveAsync(async c => await c.Source.ReadKlaviyoAsync(c.CancellationToken));
        Field<ReportPlanType>("reportPlan").Description("Which conversion metrics reports are fetched for, and what that costs of the daily budget; null while the database does not answer.")
            .ResolveAsync(async c => await c.Source.ReadReportPlanAsync(c.CancellationToken));
        Field<NonNullGraphType<DatabaseDiagnosticsType>>("database").ResolveAsync(async c => await c.Source.ReadDatabaseAsync(c.CancellationToken));
        Field<NonNullGraphType<SyncDiagnosticsType>>("sync").ResolveAsync(async c => await c.Source.ReadSyncAsync(c.CancellationToken));
        Field<NonNullGraphType<SubscriptionDiagnosticsType>>("subscriptions").Resolve(c => c.Source.ReadSubscriptions());
        Field<NonNullGraphType<WebhookDiagnosticsType>>("webhooks").Resolve(c => c.Source.Webhooks);
        Field<NonNullGraphType<Coordination.InstanceDiagnosticsType>>("instance").Resolve(c => c.Source.Instance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CurrentErrorType>>>>("errors").Description("Errors happening now, oldest first.").Resolve(c => c.Source.ReadErrors());
        Field<NonNullGraphType<DateTimeGraphType>>("generatedAt").Description("When these figures were read.").Resolve(c => c.Source.Now);
    }
}

public sealed class ProcessDiagnosticsType : ObjectGraphType<ProcessDiagnostics>
{
    public ProcessDiagnosticsType()
    {
        Name = "ProcessDiagnostics";
        Field(p => p.Version).Description("The server build.");
        Field(p => p.Environment);
        Field(p => p.StartedAt);
        Field(p => p.UptimeSeconds);
        Field(p => p.WorkingSetBytes, type: typeof(NonNullGraphType<LongGraphType>));
        Field(p => p.GcHeapBytes, type: typeof(NonNullGraphType<LongGraphType>));
        Field(p => p.Gen0Collections);
        Field(p => p.Gen1Collections);
        Field(p => p.Gen2Collections);
        Field(p => p.Threads);
    }
}

public sealed class RequestDiagnosticsType : ObjectGraphType<RequestDiagnostics>
{
    public RequestDiagnosticsType()
    {
        Name = "RequestDiagnostics";
        Description = "GraphQL requests over HTTP since the server started; latency percentiles over the latest requests.";
        Field(r => r.Total, type: typeof(NonNullGraphType<LongGraphType>));
        Field(r => r.Errors, type: typeof(NonNullGraphType<LongGraphType>)).Description("Requests answered with at least one error.");
        Field(r => r.InFlight, type: typeof(NonNullGraphType<LongGraphType>));
        Field(r => r.P50Ms, nullable: true);
        Field(r => r.P95Ms, nullable: true);
        Field(r => r.P99Ms, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OperationStatisticsType>>>>("operations").Resolve(c => c.Source.Operations);
    }
}

public sealed class OperationStatisticsType : ObjectGraphType<OperationStatistics>
{
    public OperationStatisticsType()
    {
        Name = "OperationStatistics";
        Field(o => o.Name).Description("The operation name, or its type and first field when anonymous.");
        Field(o => o.Count, type: typeof(NonNullGraphType<LongGraphType>));
        Field(o => o.Errors, type: typeof(NonNullGraphType<LongGraphType>));
    }
}

public sealed class CacheDiagnosticsType : ObjectGraphType<CacheDiagnostics>
{
    public CacheDiagnosticsType()
    {
        Name = "CacheDiagnostics";
        Field(c => c.Hits, type: typeof(NonNullGraphType<LongGraphType>)).Description("Payloads served from the field cache.");
        Field(c => c.ResponseHits, type: typeof(NonNullGraphType<LongGraphType>)).Description("Whole responses served without executing the query.");
        Field(c => c.Misses, type: typeof(NonNullGraphType<LongGraphType>)).Description("Payloads computed from the database.");
        Field(c => c.FailSafeActivations, type: typeof(NonNullGraphType<LongGraphType>)).Description("Answers served from a last good copy because the live path failed or was slow.");
        Field(c => c.Evictions, type: typeof(NonNullGraphType<LongGraphType>)).Description("Results dropped by syncs, refreshes and memory pressure.");
        Field(c => c.HitRatio, nullable: true);
    }
}

public sealed class KlaviyoModeType : EnumerationGraphType<KlaviyoMode>
{
    public KlaviyoModeType()
    {
        Name = "KlaviyoMode";
        Description = "SANDBOX: the built-in emulated account. LIVE: a real Klaviyo account.";
    }
}

public sealed class KlaviyoDiagnosticsType : ObjectGraphType<KlaviyoDiagnostics>
{
    public KlaviyoDiagnosticsType()
    {
        Name = "KlaviyoDiagnostics";
        Description = "The Klaviyo client. The API key is never shown.";
        Field<NonNullGraphType<KlaviyoModeType>>("mode").Resolve(c => c.Source.Mode);
        Field(k => k.BaseUrl);
        Field(k => k.Revision);
        Field(k => k.Requests, type: typeof(NonNullGraphType<LongGraphType>));
        Field(k => k.RateLimited, type: typeof(NonNullGraphType<LongGraphType>)).Description("429 answers received.");
        Field(k => k.Retries, type: typeof(NonNullGraphType<LongGraphType>));
        Field(k => k.RateLimitRemaining, nullable: true).Description("RateLimit-Remaining of the latest answer that had it.");
        Field(k => k.ReportCallsToday, nullable: true).Description("Reporting API calls spent today (UTC), retries included; null while the database does not answer.");
        Field(k => k.ReportBudgetLeft, nullable: true).Description("Reporting API calls left today (225 a day).");
    }
}

public sealed class DatabaseDiagnosticsType : ObjectGraphType<DatabaseDiagnostics>
{
    public DatabaseDiagnosticsType()
    {
        Name = "DatabaseDiagnostics";
        Field(d => d.Provider);
        Field(d => d.Reachable);
        Field(d => d.LatencyMs).Description("One round trip (SELECT 1).");
        Field(d => d.Error, nullable: true);
        Field(d => d.SizeBytes, type: typeof(LongGraphType)).AuthorizeWithRoles(Roles.Admin);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TableRowsType>>>>("tables").Description("Row counts per table (Admin: it counts every table).")
            .AuthorizeWithRoles(Roles.Admin).Resolve(c => c.Source.Tables);
    }
}

public sealed class TableRowsType : ObjectGraphType<TableRows>
{
    public TableRowsType()
    {
        Name = "TableRows";
        Field(t => t.Table);
        Field(t => t.Rows, type: typeof(NonNullGraphType<LongGraphType>));
    }
}

public sealed class SyncDiagnosticsType : ObjectGraphType<SyncDiagnostics>
{
    public SyncDiagnosticsType()
    {
        Name = "SyncDiagnostics";
        Field(s => s.ScheduleEnabled);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("running").Resolve(c => c.Source.Running);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncRunType>>>>("recentRuns").Resolve(c => c.Source.RecentRuns);
    }
}

public sealed class SubscriptionDiagnosticsType : ObjectGraphType<SubscriptionDiagnostics>
{
    public SubscriptionDiagnosticsType()
    {
        Name = "SubscriptionDiagnostics";
        Field(s => s.OpenSockets, type: typeof(NonNullGraphType<LongGraphType>));
        Field(s => s.ActiveOperations, type: typeof(NonNullGraphType<LongGraphType>));
        Field(s => s.SocketsAccepted, type: typeof(NonNullGraphType<LongGraphType>));
        Field(s => s.EventListeners).Description("In-process listeners on the event bus.");
    }
}

public sealed class CurrentErrorType : ObjectGraphType<CurrentError>
{
    public CurrentErrorType()
    {
        Name = "CurrentError";
        Description = "An error happening now.";
        Field<NonNullGraphType<ApiErrorSourceType>>("source").Resolve(c => c.Source.Source);
        Field(e => e.Code);
        Field(e => e.Message).Description("What a marketer can act on.");
        Field(e => e.Detail, nullable: true).Description("What a developer can debug with.");
        Field<SyncEntityType>("entity").Resolve(c => c.Source.Entity);
        Field(e => e.Since);
        Field(e => e.LastSeen);
        Field(e => e.Occurrences);
    }
}
