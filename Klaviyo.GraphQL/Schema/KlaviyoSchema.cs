using GraphQL;
using GraphQL.Types;
using Klaviyo.GraphQL.Sync;

namespace Klaviyo.GraphQL.Schema;

// GraphQL.Types.Schema by its full name: this folder (the schema's root) is namespace Klaviyo.GraphQL.Schema.
public sealed class KlaviyoSchema : global::GraphQL.Types.Schema
{
    public KlaviyoSchema(IServiceProvider services, QueryType query, MutationType mutation, SyncSubscriptions subscription) : base(services)
    {
        Description = "Klaviyo Analytics Dashboard: every payload says when its data was last confirmed against Klaviyo (lastUpdated) and where it came from (dataSource).";
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // Before WithIntrospectionComplexityImpact below, which seals the schema's registrations.
        RegisterVisitor(new Accounts.AccountAuthorization());
        // Before anything initializes the schema. Introspection as of the October 2021 spec (and graphql-js's query with every option): isRepeatable,
        // args/inputFields(includeDeprecated:), isOneOf, specifiedByURL, @specifiedBy and @oneOf.
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Directives.Register(new IntrospectionUpgrades.SpecifiedByDirective(), new IntrospectionUpgrades.OneOfDirective());
        // IDEs introspect the whole schema (~2.5M at full weight with the portfolio's types, and growing with
        // the schema); count it at 0.5 % so that one introspection fits the complexity limit with room to grow,
        // but a pile of aliased copies does not. IntrospectionTests fails first when it no longer fits.
        this.WithIntrospectionComplexityImpact(0.005);
    }

    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        IntrospectionUpgrades.Apply(graphType);
        base.OnBeforeInitializeType(graphType);
    }
}
