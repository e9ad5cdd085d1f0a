using GraphQL.Types;

namespace Klaviyo.GraphQL.Schema;

/// <summary>A feature's contribution to the subscription root.</summary>
public interface ISubscriptionFields
{
    void AddTo(ObjectGraphType subscription);
}
