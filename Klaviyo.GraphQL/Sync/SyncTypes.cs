using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.GraphQL.Freshness;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncEntityType : EnumerationGraphType<SyncEntity>
{
    public SyncEntityType()
    {
        Name = "SyncEntity";
        Description = "A kind of Klaviyo data the sync engine keeps current.";
    }
}

public sealed class SyncStateType : EnumerationGraphType<SyncHealth>
{
    public SyncStateType()
    {
        Name = "SyncState";
        Description = "ON_TIME: synced within twice its interval; LATE: not; SYNCING: a run is going; FAILED: the last attempt failed; NEVER: never synced.";
    }
}

public sealed class SyncProgressType : ObjectGraphType<SyncProgressEvent>
{
    public SyncProgressType()
    {
        Name = "SyncProgress";
        Description = "How far a running sync of one entity has come; pushed after each page it commits.";
        Field(p => p.RunId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The run.");
        Field<NonNullGraphType<SyncEntityType>>("entity").Description("The entity being synced.").Resolve(c => c.Source.Entity);
        Field(p => p.Processed).Description("Records processed so far.");
        Field(p => p.Total, nullable: true).Description("Records expected in all, when known.");
        Field(p => p.Pages).Description("Pages committed so far.");
        Field(p => p.Rate).Description("Records per second so far.");
        Field(p => p.Eta, nullable: true).Description("When the run should finish at this rate; null while the total is unknown.");
        Field(p => p.At).Description("When this progress was reported.");
    }
}

public sealed class EntitySyncStatusType : ObjectGraphType<EntitySyncStatus>
{
    public EntitySyncStatusType()
    {
        Name = "EntitySyncStatus";
        Description = "The sync state of one entity.";
        Field<NonNullGraphType<SyncEntityType>>("entity").Description("The entity.").Resolve(c => c.Source.Entity);
        Field<NonNullGraphType<SyncStateType>>("state").Description("ON_TIME, LATE, SYNCING, FAILED or NEVER.").Resolve(c => c.Source.State);
        Field(s => s.LastSuccessAt, nullable: true).Description("When its last successful sync finished.");
        Field(s => s.CoveredFrom, nullable: true).Description("During a first sync that reads recent records first (events): every record from this instant on is in, and what reads only those is known; older records are still arriving. Null otherwise.");
        Field(s => s.LastAttemptAt, nullable: true).Description("When its last sync attempt started.");
        Field<NonNullGraphType<IntGraphType>>("recordCount").Description("Records of this entity in the database.").Resolve(c => (int)Math.Min(int.MaxValue, c.Source.RecordCount));
        Field(s => s.LastError, nullable: true).Description("Why the last attempt failed, if it did.");
        Field(s => s.NextRunAt, nullable: true).Description("When the next scheduled run starts.");
        Field<SyncProgressType>("progress").Description("Live progress while a run is going.").Resolve(c => c.Source.Progress);
    }
}

public sealed class SyncStatusPayloadType : ObjectGraphType<Fresh<SyncStatusResult>>
{
    public SyncStatusPayloadType()
    {
        Name = "SyncStatusPayload";
        Description = "The sync state of every entity.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntitySyncStatusType>>>>("entities").Description("One entry per entity.").Resolve(c => c.Source.Data.Entities);
        Field<NonNullGraphType<BooleanGraphType>>("isSyncing").Description("Whether any entity is syncing now.").Resolve(c => c.Source.Data.IsSyncing);
        this.AddFreshnessFields();
    }
}

public sealed class SyncRunOutcomeType : EnumerationGraphType<SyncRunOutcome>
{
    public SyncRunOutcomeType()
    {
        Name = "SyncRunOutcome";
        Description = "How a sync run ended, or RUNNING.";
    }
}

public sealed class SyncRunType : ObjectGraphType<SyncRun>
{
    public SyncRunType()
    {
        Name = "SyncRun";
        Description = "One run of the sync engine over one or more entities.";
        Field(r => r.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The run's id, as in the logs.");
        Field(r => r.Trigger).Description("What started it: SCHEDULE, MANUAL or REFRESH.");
        Field(r => r.Mode).Description("INCREMENTAL or FULL.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("entities").Description("The entities it syncs.")
            .Resolve(c => c.Source.Entities.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<SyncEntity>).ToList());
        Field(r => r.StartedAt).Description("When it started.");
        Field(r => r.FinishedAt, nullable: true).Description("When it finished; null while running.");
        Field<FloatGraphType>("durationSeconds").Description("How long it took; null while running.")
            .Resolve(c => c.Source.FinishedAt is DateTime f ? (f - c.Source.StartedAt).TotalSeconds : null);
        Field<NonNullGraphType<SyncRunOutcomeType>>("outcome").Description("RUNNING, SUCCEEDED, FAILED or CANCELLED.").Resolve(c => c.Source.Outcome);
        Field<NonNullGraphType<IntGraphType>>("records").Description("Records written.").Resolve(c => (int)Math.Min(int.MaxValue, c.Source.Records));
        Field(r => r.Requests).Description("Requests made to Klaviyo.");
        Field(r => r.RateLimited).Description("Responses that were 429 Too Many Requests.");
        Field(r => r.Error, nullable: true).Description("Why it failed, if it did.");
    }
}
