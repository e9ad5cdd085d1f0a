using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

public sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<IMutationFields> features)
    {
        Name = "Mutation";
        Accounts.AccountScope.AddFeatures(this, features, (feature, type) => feature.AddTo(type));
    }
}
