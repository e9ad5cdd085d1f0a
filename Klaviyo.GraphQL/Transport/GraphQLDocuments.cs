using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Klaviyo.GraphQL.Transport;

/// <summary>Both transports parse a request once (to learn its operation before it runs) and hand the document to the executer.</summary>
public static class GraphQLDocuments
{
    /// <summary>The parsed document, or null on a syntax error (left for the executer to report).</summary>
    public static GraphQLDocument? TryParse(string query)
    {
        try
        {
            return Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLParserException)
        {
            return null;
        }
    }

    /// <summary>
    /// How many root fields the operation executes: its response keys (alias or name) after fragment
    /// spreads and inline fragments are expanded — fields with one response key are merged into one.
    /// </summary>
    public static int RootFieldCount(GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);
        var keys = new HashSet<string>();
        var expanded = new HashSet<string>();
        void Collect(GraphQLSelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        keys.Add((field.Alias?.Name ?? field.Name).StringValue);
                        break;
                    case GraphQLInlineFragment inline:
                        Collect(inline.SelectionSet);
                        break;
                    case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment)
                                                          && expanded.Add(spread.FragmentName.Name.StringValue):
                        Collect(fragment.SelectionSet);
                        break;
                }
            }
        }
        Collect(operation.SelectionSet);
        return keys.Count;
    }

    public static GraphQLOperationDefinition? SelectOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.Find(o => o.Name?.StringValue == operationName);
    }
}
