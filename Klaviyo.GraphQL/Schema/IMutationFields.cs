using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

/// <summary>A feature's contribution to the mutation root.</summary>
public interface IMutationFields
{
    void AddTo(ObjectGraphType mutation);
}
