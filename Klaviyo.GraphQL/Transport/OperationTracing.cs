using System.Diagnostics;
using GraphQLParser.AST;
using Klaviyo.Core.Diagnostics;

namespace Klaviyo.GraphQL.Transport;

/// <summary>The span of one GraphQL operation, on the product's source (<see cref="KlaviyoTracing"/>).</summary>
public static class OperationTracing
{
    /// <summary>A GraphQL operation, named as the semantic conventions say ("query Overview").</summary>
    public static Activity? StartOperation(GraphQLOperationDefinition? operation, string? operationName, ActivityKind kind = ActivityKind.Internal)
    {
        var type = (operation?.Operation ?? OperationType.Query).ToString().ToLowerInvariant();
        var name = operationName ?? operation?.Name?.StringValue;
        var activity = KlaviyoTracing.Source.StartActivity(name is null ? type : $"{type} {name}", kind);
        activity?.SetTag("graphql.operation.type", type);
        if (name is not null)
            activity?.SetTag("graphql.operation.name", name);
        return activity;
    }
}
