using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// Every field a document selects — in each operation and fragment, known to the schema — with its definition and
/// the type it is selected on, found by one walk per document and kept as long as the document lives.
/// </summary>
public static class SelectedFields
{
    public readonly record struct Field(GraphQLField Node, FieldType Definition, IGraphType? Parent);

    private static readonly ConditionalWeakTable<GraphQLDocument, Field[]> Known = new();

    public static async ValueTask<IReadOnlyList<Field>> OfAsync(ValidationContext context)
    {
        if (Known.TryGetValue(context.Document, out var known))
            return known;
        var fields = new List<Field>();
        var walk = new ValidationContext
        {
            Schema = context.Schema,
            Document = context.Document,
            Operation = context.Operation,
            TypeInfo = new TypeInfo(context.Schema),
            UserContext = new Dictionary<string, object?>(),
            Variables = Inputs.Empty,
            Extensions = Inputs.Empty,
            Metrics = context.Metrics,
            CancellationToken = context.CancellationToken,
        };
        var collect = new MatchingNodeVisitor<GraphQLField>((node, ctx) =>
        {
            if (ctx.TypeInfo.GetFieldDef() is { } definition)
                fields.Add(new Field(node, definition, ctx.TypeInfo.GetParentType()));
        });
        await new BasicVisitor(walk.TypeInfo, collect).VisitAsync(context.Document, new BasicVisitor.State(walk));
        // Concurrent first walks find the same fields; whichever is kept, the answer is the same.
        Known.AddOrUpdate(context.Document, [.. fields]);
        return fields;
    }
}
