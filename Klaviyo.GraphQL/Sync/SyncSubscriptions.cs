using System.Reactive.Linq;
using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Sync.Events;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncSubscriptions : ObjectGraphType
{
    public SyncSubscriptions(IEnumerable<ISubscriptionFields> features)
    {
        Name = "Subscription";

        Field<NonNullGraphType<SyncProgressType>>("syncProgress")
            .Description("Progress of sync runs, after every committed page; optionally of one entity.")
            .Argument<SyncEntityType>("entity", "Only this entity.")
            .ResolveStream(ctx =>
            {
                var entity = ctx.GetArgument<SyncEntity?>("entity");
                return Bus(ctx).Observe<SyncProgressEvent>().Where(e => entity is null || e.Entity == entity);
            });

        Field<NonNullGraphType<SyncRunType>>("syncCompleted")
            .Description("Each sync run as it finishes, whatever its outcome.")
            .ResolveStream(ctx => Bus(ctx).Observe<SyncRun>());

        Field<NonNullGraphType<DataChangedEventType>>("dataChanged")
            .Description("New data was committed; optionally only for these entities.")
            .Argument<ListGraphType<NonNullGraphType<SyncEntityType>>>("scopes", "Only changes touching one of these entities.")
            .ResolveStream(ctx =>
            {
                var scopes = ctx.GetArgument<List<SyncEntity>?>("scopes");
                return Bus(ctx).Observe<DataChangedEvent>().Where(e => scopes is null || e.Entities.Any(scopes.Contains));
            });

        Field<NonNullGraphType<ApiErrorEventType>>("apiErrors")
            .Description("Errors on the live path as they happen, and when they are resolved.")
            .ResolveStream(ctx => Bus(ctx).Observe<ApiErrorEvent>());

        Accounts.AccountScope.AddArgument(Fields.ToList());
        Accounts.AccountScope.AddFeatures(this, features, (feature, type) => feature.AddTo(type));
    }

    /// <summary>The event bus of the account the subscription names (the deployment's own by default).</summary>
    internal static EventBus Bus(IResolveFieldContext context) => context.AccountServices().GetRequiredService<EventBus>();
}
