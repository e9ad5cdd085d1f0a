using GraphQL.Types;
using Klaviyo.Core.Freshness;

namespace Klaviyo.GraphQL.Freshness;

public static class FreshnessFields
{
    /// <summary>Adds <c>lastUpdated</c> and <c>dataSource</c>, the two fields every payload carries.</summary>
    public static void AddFreshnessFields<T>(this ObjectGraphType<Fresh<T>> type)
    {
        type.Field<DateTimeGraphType>("lastUpdated")
            .Description("When this data was last confirmed current against Klaviyo (the oldest last successful sync of the entities it reads); null while one of them has never synced.")
            .Resolve(ctx => ctx.Source.LastUpdated);
        type.Field<NonNullGraphType<DataSourceType>>("dataSource")
            .Description("Where this answer came from: LIVE, CACHE or FALLBACK.")
            .Resolve(ctx => ctx.Source.DataSource);
    }
}
