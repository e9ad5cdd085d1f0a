using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

public sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<IMutationFields> features)
    {
        Name = "Mutation";
        foreach (var feature in features)
            feature.AddTo(this);
    }
}
