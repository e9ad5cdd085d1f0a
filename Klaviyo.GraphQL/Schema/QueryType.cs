using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

public sealed class QueryType : ObjectGraphType
{
    public QueryType(IEnumerable<IQueryFields> features)
    {
        Name = "Query";
        Accounts.AccountScope.AddFeatures(this, features, (feature, type) => feature.AddTo(type));
    }
}
