using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

/// <summary>A feature's contribution to the query root, so each feature keeps its fields in its own folder.</summary>
public interface IQueryFields
{
    void AddTo(ObjectGraphType query);
}
