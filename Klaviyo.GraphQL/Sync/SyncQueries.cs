using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Data;
using Klaviyo.Core.Errors;
using Klaviyo.Core.Sync;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Microsoft.EntityFrameworkCore;

namespace Klaviyo.GraphQL.Sync;

public sealed class SyncQueries : IQueryFields
{
    private const int MaxRuns = 100;

    public void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SyncStatusPayloadType>>("syncStatus")
            .Description("The sync state of every entity, with live progress while runs are going.")
            .Argument<BooleanGraphType>("forceFresh", "Bypass any cached copy.", a => a.DefaultValue = false)
            .ResolveAsync(async ctx => await ctx.AccountServices().GetRequiredService<SyncStatusReader>().ReadAsync(ctx.ForceFresh(), ctx.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SyncRunType>>>>("syncRuns")
            .Description("Recent sync runs, newest first.")
            .Argument<IntGraphType>("first", $"How many runs (1–{MaxRuns}; default 20).", a => a.DefaultValue = 20)
            .ResolveAsync(async ctx =>
            {
                var first = ctx.GetArgument<int>("first");
                if (first is < 1 or > MaxRuns)
                    throw new InvalidInputError($"'first' must be between 1 and {MaxRuns}; got {first}.");
                var contexts = ctx.AccountServices().GetRequiredService<IDbContextFactory<KlaviyoDbContext>>();
                await using var db = await contexts.CreateDbContextAsync(ctx.CancellationToken);
                return await db.SyncRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).Take(first).ToListAsync(ctx.CancellationToken);
            });
    }
}
