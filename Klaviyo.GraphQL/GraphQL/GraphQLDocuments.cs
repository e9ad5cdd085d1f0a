using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Klaviyo.GraphQL.GraphQL;

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

    public static GraphQLOperationDefinition? SelectOperation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.Find(o => o.Name?.StringValue == operationName);
    }
}
