using GraphQLParser.AST;

namespace Klaviyo.Client.Generator;

/// <summary>How schema types become C# types: results nullable as the schema says, inputs, scalars and enums.</summary>
internal sealed partial class Emitter
{
    private string PropertyType(Member member) => ResultType(member.Type, member);

    private string ResultType(GraphQLType type, Member member) => type switch
    {
        GraphQLNonNullType n => NonNull(ResultType(n.Type, member)),
        GraphQLListType l => $"global::System.Collections.Generic.IReadOnlyList<{ResultType(l.Type, member)}>?",
        GraphQLNamedType named => Nullable(member.Nested?.Name ?? Leaf(named.Name.StringValue)),
        _ => "object?",
    };

    private string InputType(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NonNull(InputType(n.Type)),
        GraphQLListType l => $"global::System.Collections.Generic.IReadOnlyList<{InputType(l.Type)}>?",
        GraphQLNamedType named => Nullable(InputLeaf(named.Name.StringValue)),
        _ => "object?",
    };

    private string InputLeaf(string name)
    {
        if (schema.Types.TryGetValue(name, out var type) && type.Kind == SchemaModel.Kind.Input)
        {
            _inputs.Add(name);
            return name;
        }
        return Leaf(name);
    }

    private string Leaf(string name)
    {
        if (schema.Types.TryGetValue(name, out var type) && type.Kind == SchemaModel.Kind.Enum)
        {
            _enums.Add(name);
            return name;
        }
        return name switch
        {
            "String" or "ID" => "string",
            "Int" => "int",
            "Float" => "double",
            "Boolean" => "bool",
            "Long" => "long",
            "Decimal" => "decimal",
            "DateTime" => "global::System.DateTime",
            "DateTimeOffset" => "global::System.DateTimeOffset",
            "DateOnly" => "global::System.DateOnly",
            _ => "global::System.Text.Json.JsonElement",
        };
    }

    private static GraphQLType Strip(GraphQLType type) => type is GraphQLNonNullType n ? n.Type : type;

    private static string Nullable(string type) => type.EndsWith("?", System.StringComparison.Ordinal) ? type : type + "?";

    private static string NonNull(string type) => type.EndsWith("?", System.StringComparison.Ordinal) ? type.Substring(0, type.Length - 1) : type;
}
