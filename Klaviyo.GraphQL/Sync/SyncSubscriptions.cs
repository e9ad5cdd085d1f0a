using System.Reactive.Linq;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncSubscriptions : ObjectGraphType
{
    public SyncSubscriptions(EventBus bus, IEnumerable<ISubscriptionFields> features)
    {
        Name = "Subscription";

        Field<NonNullGraphType<SyncProgressType>>("syncProgress")
            .Description("Progress of sync runs, after every committed page; optionally of one entity.")
            .Argument<SyncEntityType>("entity", "Only this entity.")
            .ResolveStream(ctx =>
            {
                var entity = ctx.GetArgument<SyncEntity?>("entity");
                return bus.Observe<SyncProgressEvent>().Where(e => entity is null || e.Entity == entity);
            });

        Field<NonNullGraphType<SyncRunType>>("syncCompleted")
            .Description("Each sync run as it finishes, whatever its outcome.")
            .ResolveStream(_ => bus.Observe<SyncRun>());

        Field<NonNullGraphType<DataChangedEventType>>("dataChanged")
            .Description("New data was committed; optionally only for these entities.")
            .Argument<ListGraphType<NonNullGraphType<SyncEntityType>>>("scopes", "Only changes touching one of these entities.")
            .ResolveStream(ctx =>
            {
                var scopes = ctx.GetArgument<List<SyncEntity>?>("scopes");
                return bus.Observe<DataChangedEvent>().Where(e => scopes is null || e.Entities.Any(scopes.Contains));
            });

        Field<NonNullGraphType<ApiErrorEventType>>("apiErrors")
            .Description("Errors on the live path as they happen, and when they are resolved.")
            .ResolveStream(_ => bus.Observe<ApiErrorEvent>());

        foreach (var feature in features)
            feature.AddTo(this);
    }
}
