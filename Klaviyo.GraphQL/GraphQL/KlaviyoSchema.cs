using GraphQL;
using GraphQL.Types;
using Klaviyo.GraphQL.Sync;

namespace Klaviyo.GraphQL.GraphQL;

public sealed class KlaviyoSchema : Schema
{
    public KlaviyoSchema(IServiceProvider services, QueryType query, MutationType mutation, SyncSubscriptions subscription) : base(services)
    {
        Description = "Klaviyo Analytics Dashboard: every payload says when its data was last confirmed against Klaviyo (lastUpdated) and where it came from (dataSource).";
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // IDEs introspect the whole schema (~900k at full weight); count it at 1 % so that one
        // introspection fits the complexity limit but a pile of aliased copies does not.
        this.WithIntrospectionComplexityImpact(0.01);
    }
}
