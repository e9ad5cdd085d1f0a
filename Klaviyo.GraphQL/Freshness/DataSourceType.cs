using GraphQL.Types;
using Klaviyo.Core.Freshness;

namespace Klaviyo.GraphQL.Freshness;

public sealed class DataSourceType : EnumerationGraphType<DataSource>
{
    public DataSourceType()
    {
        Name = "DataSource";
        Description = "Where an answer came from.";
        Values["LIVE"]!.Description = "Computed now from the database while every entity it reads syncs successfully.";
        Values["CACHE"]!.Description = "Served from the server cache within its duration; sync healthy.";
        Values["FALLBACK"]!.Description = "The live path is failing; this is the last good copy, with its original lastUpdated.";
    }
}
