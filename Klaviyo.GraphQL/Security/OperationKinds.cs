using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Security;

/// <summary>What an operation does, read from its document before it runs (for the operation rate limits).</summary>
public static class OperationKinds
{
    /// <summary>Whether the operation selects refreshData at its root (directly or through fragments of the root type).</summary>
    public static bool Refreshes(GraphQLOperationDefinition operation) =>
        operation.SelectionSet.Selections.Any(s => s switch
        {
            GraphQLField f => f.Name.StringValue == "refreshData",
            GraphQLInlineFragment i => i.SelectionSet.Selections.OfType<GraphQLField>().Any(f => f.Name.StringValue == "refreshData"),
            _ => true, // a named fragment: counted as a refresh, the cautious side
        });
}
