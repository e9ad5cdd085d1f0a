using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Reports;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.Sync;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Freshness;

/// <summary>
/// <c>refreshData</c>: the Refresh button. Evicts the cached results of the scopes, then syncs them
/// incrementally now. A scope already syncing joins the run in progress, so pressing the button ten
/// times starts one run, not ten. Without scopes, reports fresher than their interval are left to the
/// schedule (they spend Klaviyo's daily report budget); naming them refreshes them anyway.
/// </summary>
public sealed class RefreshDataMutation : IMutationFields
{
    public void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<RefreshDataPayloadType>>("refreshData")
            .Description("Evicts cached results of these entities and syncs them now (all when none are given); entities already syncing join the run in progress.")
            .Argument<NonNullGraphType<RefreshDataInputType>>("input", "What to refresh.")
            .AuthorizeWithRoles(Roles.Operator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<Dictionary<string, object?>>("input");
                var scopes = input.EntitiesOrAll("scopes");
                var services = ctx.AccountServices();
                IReadOnlyList<SyncEntity> skipped = [];
                if (!input.HasEntities("scopes"))
                {
                    await using var db = await services.GetRequiredService<IDbContextFactory<KlaviyoDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                    skipped = await services.GetRequiredService<ReportPlan>().FreshAsync(db, ctx.CancellationToken);
                    scopes = [.. scopes.Except(skipped)];
                }
                await services.GetRequiredService<FreshCache>().EvictAsync(scopes, ctx.CancellationToken);
                var started = await services.GetRequiredService<SyncRequests>().StartAsync(scopes, SyncMode.Incremental, "REFRESH", ctx.CancellationToken);
                return new RefreshDataResult(scopes, skipped, started);
            });
}

/// <param name="Skipped">Reports left to the schedule because they are fresher than their interval.</param>
public sealed record RefreshDataResult(IReadOnlyList<SyncEntity> Scopes, IReadOnlyList<SyncEntity> Skipped, SyncCoordinator.StartResult Start);

public sealed class RefreshDataInputType : InputObjectGraphType
{
    public RefreshDataInputType()
    {
        Name = "RefreshDataInput";
        Field<ListGraphType<NonNullGraphType<SyncEntityType>>>("scopes").Description("The entities to refresh; all when null or empty.");
    }
}

public sealed class RefreshDataPayloadType : ObjectGraphType<RefreshDataResult>
{
    public RefreshDataPayloadType()
    {
        Name = "RefreshDataPayload";
        Description = "What was refreshed: the run started for it, and the runs it joined.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("scopes").Description("The entities whose cached results were evicted and which are syncing now.").Resolve(c => c.Source.Scopes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("skipped")
            .Description("Reports fresher than their interval, left to the schedule: each report run spends Klaviyo's daily budget of 225 calls. Name them in scopes to refresh them anyway.")
            .Resolve(c => c.Source.Skipped);
        Field<SyncRunType>("run").Description("The run started; null when every scope was already syncing.").Resolve(c => c.Source.Start.Run);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncEntityType>>>>("alreadyRunning").Description("Scopes left to the runs already syncing them.").Resolve(c => c.Source.Start.AlreadyRunning);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("joinedRunIds").Description("The runs syncing those scopes.").Resolve(c => c.Source.Start.JoinedRuns);
    }
}
