using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Portfolio;
using Klaviyo.Core.Security;
using Klaviyo.Core.TimeRanges;
using Klaviyo.GraphQL.Accounts;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.TimeRanges;

namespace Klaviyo.GraphQL.Portfolio;

/// <summary><c>portfolio</c>: it spans the accounts, so it takes none.</summary>
public sealed class PortfolioQueries : IQueryFields, IDeploymentFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<PortfolioPayloadType>>("portfolio")
            .Description("Every connected account the caller may see, in one table: revenue, orders and conversion rate with their change, freshness, sync health and firing alerts.")
            .Argument<NonNullGraphType<DateRangeInputType>>("range", "The window, read in each account's own time zone.")
            .Argument<CompareToType>("compareTo", "What the changes compare with.", a => a.DefaultValue = CompareTo.PreviousPeriod)
            .ResolveAsync(async c =>
            {
                // It reads every account's store: the whole response is never stored (the deployment's syncs alone evict that cache).
                FreshnessTrace.Current?.MarkUncacheable();
                return await c.RequestServicesOrThrow().GetRequiredService<PortfolioReader>()
                    .ReadAsync(c.GetArgument<RangeRequest>("range"), c.GetArgument("compareTo", CompareTo.PreviousPeriod), AccountAccess.Of(c.User).Sees, c.ForceFresh(), c.CancellationToken);
            });
}
