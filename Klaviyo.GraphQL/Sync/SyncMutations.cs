using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncMutations : IMutationFields
{
    public void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<StartSyncPayloadType>>("startSync")
            .Description("Starts a sync of these entities now (all when none are given). Entities already syncing are not started twice: their runs are named in joinedRunIds.")
            .Argument<NonNullGraphType<StartSyncInputType>>("input", "What to sync and how.")
            .AuthorizeWithRoles(Roles.Operator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<Dictionary<string, object?>>("input");
                var entities = input.EntitiesOrAll("entities");
                var mode = input.GetValueOrDefault("mode") as SyncMode? ?? SyncMode.Incremental;
                return await ctx.AccountServices().GetRequiredService<SyncRequests>().StartAsync(entities, mode, "MANUAL", ctx.CancellationToken);
            });

        mutation.Field<NonNullGraphType<CancelSyncPayloadType>>("cancelSync")
            .Description("Cancels a running sync. Pages already committed stay; the next run resumes from their checkpoint.")
            .Argument<NonNullGraphType<CancelSyncInputType>>("input", "The run to cancel.")
            .AuthorizeWithRoles(Roles.Operator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<Dictionary<string, object?>>("input");
                if (!Guid.TryParse(input["runId"]?.ToString(), out var runId))
                    throw new InvalidInputError($"'{input["runId"]}' is not a run id.");
                var cancelled = await ctx.AccountServices().GetRequiredService<SyncRequests>().CancelAsync(runId, ctx.CancellationToken);
                return new CancelSyncResult(runId, cancelled);
            });
    }
}

public sealed record CancelSyncResult(Guid RunId, bool Cancelled);

public sealed class StartSyncInputType : InputObjectGraphType
{
    public StartSyncInputType()
    {
        Name = "StartSyncInput";
        Field<ListGraphType<NonNullGraphType<SyncEntityType>>>("entities").Description("The entities to sync; all when null or empty.");
        Field<SyncModeType>("mode").Description("INCREMENTAL (default) or FULL.").DefaultValue(SyncMode.Incremental);
    }
}

public sealed class CancelSyncInputType : InputObjectGraphType
{
    public CancelSyncInputType()
    {
        Name = "CancelSyncInput";
        Field<NonNullGraphType<IdGraphType>>("runId").Description("The run to cancel.");
    }
}

public sealed class StartSyncPayloadType : ObjectGraphType<SyncCoordinator.StartResult>
{
    public StartSyncPayloadType()
    {
        Name = "StartSyncPayload";
        Description = "The run started, and the entities that were already syncing.";
        Field<SyncRunType>("run").Description("The new run; null when every entity was already syncing.").Resolve(c => c.Source.Run);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("alreadyRunning").Description("Entities left to the runs already syncing them.").Resolve(c => c.Source.AlreadyRunning);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("joinedRunIds").Description("The runs syncing those entities.").Resolve(c => c.Source.JoinedRuns);
    }
}

public sealed class CancelSyncPayloadType : ObjectGraphType<CancelSyncResult>
{
    public CancelSyncPayloadType()
    {
        Name = "CancelSyncPayload";
        Description = "Whether the run was running and is now cancelled.";
        Field(r => r.RunId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The run.");
        Field(r => r.Cancelled).Description("False when no such run was running.");
    }
}
