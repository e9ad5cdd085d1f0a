using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using Klaviyo.GraphQL.Campaigns;
using Klaviyo.GraphQL.Filtering;
using Klaviyo.GraphQL.Flows;
using Klaviyo.GraphQL.Forms;
using Klaviyo.GraphQL.Freshness;
using Klaviyo.GraphQL.Lists;
using Klaviyo.GraphQL.Metrics;
using Klaviyo.GraphQL.Overview;
using Klaviyo.GraphQL.Paging;
using Klaviyo.GraphQL.Segments;
using Klaviyo.GraphQL.Sync;
using Klaviyo.GraphQL.Transport;
using Klaviyo.GraphQL.Transport.Http;
using Microsoft.Extensions.Caching.Memory;

namespace Klaviyo.GraphQL.Schema;

public static class GraphQLServiceCollectionExtensions
{
    /// <summary>The schema, its fields and the transport's response cache; it reads through the services of AddKlaviyoFreshness.</summary>
    public static IHostApplicationBuilder AddKlaviyoGraphQL(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(GraphQLServerOptions.Section);
        services.Configure<GraphQLServerOptions>(section);
        var options = section.Get<GraphQLServerOptions>() ?? new GraphQLServerOptions();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<Core.Digests.IDigestRenderer, Digests.DigestRenderer>();
        services.AddSingleton<IQueryFields, Accounts.AccountQueries>();
        services.AddSingleton<IQueryFields, Accounts.ConnectedAccountQueries>();
        services.AddSingleton<IMutationFields, Accounts.ConnectedAccountMutations>();
        services.AddSingleton<IQueryFields, Portfolio.PortfolioQueries>();
        services.AddSingleton<IQueryFields, OverviewQueries>();
        services.AddConnection(CampaignsConnection.Definition);
        services.AddConnection(FlowsConnection.Definition);
        services.AddConnection(SegmentsConnection.Definition);
        services.AddConnection(ListsConnection.Definition);
        services.AddConnection(FormsConnection.Definition);
        services.AddSingleton<IQueryFields, MetricQueries>();
        services.AddSingleton<IQueryFields, ConversionMetricQueries>();
        services.AddSingleton<IQueryFields, SyncQueries>();
        services.AddSingleton<IMutationFields, SyncMutations>();
        services.AddSingleton<IMutationFields, RefreshDataMutation>();
        services.AddSingleton<IQueryFields, Security.SecurityQueries>();
        services.AddSingleton<IMutationFields, Security.SecurityMutations>();
        // Registered after the reads and security, in the order the schema file lists them.
        services.AddSingleton<IQueryFields, Alerts.AlertQueries>();
        services.AddSingleton<IMutationFields, Alerts.AlertMutations>();
        services.AddSingleton<ISubscriptionFields, Alerts.AlertSubscriptions>();
        services.AddSingleton<IQueryFields, Digests.DigestQueries>();
        services.AddSingleton<IMutationFields, Digests.DigestMutations>();
        services.AddSingleton<IQueryFields, Diagnostics.DiagnosticsQueries>();
        services.AddSingleton<Execution.ListJsonCache>();
        // Before AddGraphQL, which registers its own validator only if none is.
        services.AddSingleton<Execution.KeptValidator>();
        services.AddSingleton<IDocumentValidator>(sp => sp.GetRequiredService<Execution.KeptValidator>());
        services.AddTransient(typeof(FilterInputType<>));
        services.AddTransient(typeof(SortInputType<>));
        services.AddTransient(typeof(ConnectionPayloadType<>));
        services.AddTransient(typeof(EdgeType<>));

        var exposeDetails = builder.Environment.IsDevelopment();
        services.AddGraphQL(b => b
            .AddSchema<KlaviyoSchema>()
            .AddSystemTextJson()
            .AddExecutionStrategy<Execution.ListJsonExecutionStrategy>(GraphQLParser.AST.OperationType.Query)
            .AddGraphTypes(typeof(KlaviyoSchema).Assembly)
            .AddErrorInfoProvider(new KlaviyoErrorInfoProvider(exposeDetails))
            .AddUnhandledExceptionHandler(AppErrors.Handle)
            .AddValidationRule<Security.RoleAuthorizationRule>()
            .AddValidationRule<Security.OperationRateLimitRule>()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = options.MaxDepth;
                c.MaxComplexity = options.MaxComplexity;
            })
            .WithTimeout(options.ExecutionTimeout, TimeoutAction.ReturnTimeoutError));
        services.AddGraphQLTransport();
        return builder;
    }

    private static void AddConnection<TRow>(this IServiceCollection services, ConnectionDefinition<TRow> definition)
    {
        services.AddSingleton(definition);
        services.AddSingleton(definition.Spec);
        services.AddSingleton<IQueryFields>(new ConnectionQueryFields<TRow>(definition));
    }
}
