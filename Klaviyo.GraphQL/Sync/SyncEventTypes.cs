using GraphQL.Types;
using Klaviyo.GraphQL.Errors;
using Klaviyo.GraphQL.Sync.Events;

namespace Klaviyo.GraphQL.Sync;

public sealed class DataChangedEventType : ObjectGraphType<DataChangedEvent>
{
    public DataChangedEventType()
    {
        Name = "DataChangedEvent";
        Description = "Pushed when a sync committed new data; refetch the sections that read these entities.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("entities").Description("The entities that changed.").Resolve(c => c.Source.Entities);
        Field(e => e.LastUpdated).Description("Their new lastUpdated.");
        Field(e => e.RunId, type: typeof(IdGraphType)).Description("The run that changed them.");
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
