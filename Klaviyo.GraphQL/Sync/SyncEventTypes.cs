using GraphQL.Types;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync.Events;

namespace Klaviyo.GraphQL.Sync;

public sealed class DataChangedEventType : ObjectGraphType<DataChangedEvent>
{
    public DataChangedEventType()
    {
        Name = "DataChangedEvent";
        Description = "Pushed when a sync wrote data (never when it found nothing new), at most once a second per entity; refetch the sections that read these entities — the server's caches were evicted first, so no forceFresh is needed.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("entities").Description("The entities that changed.").Resolve(c => c.Source.Entities);
        Field(e => e.LastUpdated).Description("Their new lastUpdated.");
        Field(e => e.RunId, type: typeof(IdGraphType)).Description("The (latest) run that changed them.");
        Field<NonNullGraphType<LongGraphType>>("records").Description("Records inserted, changed or deleted since the previous dataChanged for these entities.").Resolve(c => c.Source.Records);
        Field(e => e.At).Description("When this was published.");
    }
}

public sealed class ApiErrorSourceType : EnumerationGraphType<ApiErrorSource>
{
    public ApiErrorSourceType()
    {
        Name = "ApiErrorSource";
        Description = "Where an error arose.";
    }
}

public sealed class ApiErrorEventType : ObjectGraphType<ApiErrorEvent>
{
    public ApiErrorEventType()
    {
        Name = "ApiErrorEvent";
        Description = "An error on the live path, or news that one was resolved.";
        Field<NonNullGraphType<ApiErrorSourceType>>("source").Description("KLAVIYO, DATABASE, CACHE or SYNC.").Resolve(c => c.Source.Source);
        Field(e => e.Code).Description("A stable code, e.g. KLAVIYO_RATE_LIMITED.");
        Field(e => e.Message).Description("What happened, in words a marketer can act on.");
        Field(e => e.Detail, nullable: true).Description("Technical detail for a developer.");
        Field<SyncEntityType>("entity").Description("The entity affected, if any.").Resolve(c => c.Source.Entity);
        Field(e => e.Resolved).Description("True when this reports that the error stopped happening.");
        Field(e => e.At).Description("When it happened.");
    }
}
