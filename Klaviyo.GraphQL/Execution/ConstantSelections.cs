using System.Runtime.CompilerServices;
using GraphQLParser;
using GraphQLParser.AST;

namespace Klaviyo.GraphQL.Execution;

/// <summary>
/// Whether a field's selection reads no variable (in an argument or an @include/@skip, its own or a
/// fragment's): only then is what it selects the same on every execution of the document.
/// </summary>
internal static class ConstantSelections
{
    private static readonly ConditionalWeakTable<GraphQLField, StrongBox<bool>> Known = new();

    public static bool IsConstant(GraphQLField field, GraphQLDocument document) =>
        // Looked up before GetValue, whose callback captures the document: a delegate per call otherwise.
        Known.TryGetValue(field, out var known) ? known.Value
            : Known.GetValue(field, f => new(!Reads(f.Directives) && !Reads(f.SelectionSet, document, depth: 0))).Value;

    private static bool Reads(GraphQLSelectionSet? selections, GraphQLDocument document, int depth)
    {
        // Validation has refused fragment cycles; the bound only keeps a wrong document from recursing forever.
        if (selections is null)
            return false;
        if (depth > 64)
            return true;
        foreach (var selection in selections.Selections)
        {
            var reads = selection switch
            {
                GraphQLField field => Reads(field.Directives) || Reads(field.Arguments) || Reads(field.SelectionSet, document, depth + 1),
                GraphQLInlineFragment inline => Reads(inline.Directives) || Reads(inline.SelectionSet, document, depth + 1),
                GraphQLFragmentSpread spread => Reads(spread.Directives) || document.FindFragmentDefinition(spread.FragmentName.Name) is not { } fragment
                    || Reads(fragment.Directives) || Reads(fragment.SelectionSet, document, depth + 1),
                _ => true,
            };
            if (reads)
                return true;
        }
        return false;
    }

    private static bool Reads(GraphQLDirectives? directives) =>
        directives is not null && directives.Items.Any(d => Reads(d.Arguments));

    private static bool Reads(GraphQLArguments? arguments) =>
        arguments is not null && arguments.Items.Any(a => Reads(a.Value));

    private static bool Reads(GraphQLValue value) => value switch
    {
        GraphQLVariable => true,
        GraphQLListValue list => list.Values?.Any(Reads) == true,
        GraphQLObjectValue obj => obj.Fields?.Any(f => Reads(f.Value)) == true,
        _ => false,
    };
}
