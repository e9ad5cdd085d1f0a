using System.Linq;
using GraphQLParser.AST;

namespace Klaviyo.Client.Generator;

/// <summary>The reader's checks of values: directives' conditions, variables where their type fits, literals of the right kind.</summary>
internal sealed partial class OperationReader
{
    /// <summary>Checks @include/@skip (their variables count as used); true when one is present.</summary>
    private bool CheckDirectives(GraphQLDirectives? directives)
    {
        var conditional = false;
        foreach (var directive in directives?.Items ?? [])
        {
            var name = directive.Name.StringValue;
            if (name is not ("include" or "skip"))
            {
                Report(Diagnostics.Operation, source.Locate(directive), $"Unknown directive '@{name}' (the client knows @include and @skip)");
                continue;
            }
            conditional = true;
            var condition = directive.Arguments?.Items.FirstOrDefault(a => a.Name.StringValue == "if");
            if (condition is null)
                Report(Diagnostics.MissingArgument, source.Locate(directive), "@" + name, "", "if", "Boolean!");
            else
                CheckValue(condition.Value, new GraphQLNonNullType(new GraphQLNamedType(new GraphQLName("Boolean"))), $"'if' of @{name}");
        }
        return conditional;
    }

    /// <summary>Variables used where their type fits; literals of the right kind (enum values exist, input fields are known).</summary>
    private void CheckValue(GraphQLValue value, GraphQLType expected, string where)
    {
        switch (value)
        {
            case GraphQLVariable variable:
                {
                    var name = variable.Name.StringValue;
                    _usedVariables.Add(name);
                    if (!_variables.TryGetValue(name, out var declared))
                        Report(Diagnostics.Variable, source.Locate(variable), $"Variable '${name}' is not defined");
                    else if (schema.Types.ContainsKey(SchemaModel.NamedType(declared.Type)) && !Fits(declared, expected))
                        Report(Diagnostics.Variable, source.Locate(variable), $"Variable '${name}' of type '{Print(declared.Type)}' cannot be used for {where}, which expects '{Print(expected)}'");
                    break;
                }
            case GraphQLNullValue when expected is GraphQLNonNullType:
                Report(Diagnostics.Variable, source.Locate(value), $"null cannot be given for {where}, which expects '{Print(expected)}'");
                break;
            case GraphQLListValue list:
                foreach (var item in list.Values ?? [])
                    CheckValue(item, Unwrap(expected) is GraphQLListType l ? l.Type : Unwrap(expected), where);
                break;
            case GraphQLObjectValue obj when schema.Types.TryGetValue(SchemaModel.NamedType(expected), out var input) && input.Kind == SchemaModel.Kind.Input:
                foreach (var field in obj.Fields ?? [])
                {
                    if (input.Fields.TryGetValue(field.Name.StringValue, out var inputField))
                        CheckValue(field.Value, inputField.Type, $"field '{field.Name.StringValue}' of '{input.Name}'");
                    else
                        Report(Diagnostics.UnknownArgument, source.Locate(field.Name), field.Name.StringValue, input.Name, "(input)");
                }
                break;
            case GraphQLEnumValue e when schema.Types.TryGetValue(SchemaModel.NamedType(expected), out var enumType) && enumType.Kind == SchemaModel.Kind.Enum
                && !enumType.EnumValues.Contains(e.Name.StringValue):
                Report(Diagnostics.Variable, source.Locate(value), $"'{e.Name.StringValue}' is not a value of enum '{enumType.Name}' ({where})");
                break;
        }
    }

    private static GraphQLType Unwrap(GraphQLType type) => type is GraphQLNonNullType n ? n.Type : type;

    /// <summary>The spec's "are types compatible": the same named type and lists, and a nullable variable only where null is accepted (or it has a default).</summary>
    private static bool Fits(VariableInfo variable, GraphQLType expected)
    {
        var given = variable.Type;
        if (expected is GraphQLNonNullType && given is not GraphQLNonNullType && !variable.HasDefault)
            return false;
        return Same(Unwrap(given), Unwrap(expected));

        static bool Same(GraphQLType a, GraphQLType b) => (a, b) switch
        {
            (GraphQLNamedType x, GraphQLNamedType y) => x.Name.StringValue == y.Name.StringValue,
            (GraphQLListType x, GraphQLListType y) => SameItem(x.Type, y.Type),
            _ => false,
        };

        static bool SameItem(GraphQLType a, GraphQLType b) =>
            (a is GraphQLNonNullType || b is not GraphQLNonNullType) && Same(Unwrap(a), Unwrap(b));
    }

    public static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => Print(n.Type) + "!",
        GraphQLListType l => "[" + Print(l.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => "?",
    };
}
