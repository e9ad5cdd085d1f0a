using System.Collections.Generic;
using System.Linq;
using GraphQLParser.AST;

namespace Klaviyo.Client.Generator;

/// <summary>The parts of an SDL schema a client needs: each type's kind, fields, arguments and values.</summary>
internal sealed class SchemaModel
{
    public enum Kind { Object, Interface, Union, Input, Enum, Scalar }

    public sealed class TypeInfo(string name, Kind kind, string? description)
    {
        public string Name { get; } = name;
        public Kind Kind { get; } = kind;
        public string? Description { get; } = description;
        public Dictionary<string, FieldInfo> Fields { get; } = [];
        public List<string> EnumValues { get; } = [];
        public HashSet<string> PossibleTypes { get; } = [];
    }

    public sealed class FieldInfo(string name, GraphQLType type, string? description)
    {
        public string Name { get; } = name;
        public GraphQLType Type { get; } = type;
        public string? Description { get; } = description;
        public Dictionary<string, GraphQLType> Arguments { get; } = [];
    }

    private static readonly string[] BuiltInScalars = ["String", "Int", "Float", "Boolean", "ID"];

    public Dictionary<string, TypeInfo> Types { get; } = [];
    public string QueryType { get; private set; } = "Query";
    public string MutationType { get; private set; } = "Mutation";
    public string SubscriptionType { get; private set; } = "Subscription";

    public static SchemaModel From(GraphQLDocument document)
    {
        var schema = new SchemaModel();
        foreach (var scalar in BuiltInScalars)
            schema.Types[scalar] = new TypeInfo(scalar, Kind.Scalar, null);
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLSchemaDefinition root:
                    foreach (var operation in root.OperationTypes)
                    {
                        var name = operation.Type!.Name.StringValue;
                        switch (operation.Operation)
                        {
                            case OperationType.Query: schema.QueryType = name; break;
                            case OperationType.Mutation: schema.MutationType = name; break;
                            case OperationType.Subscription: schema.SubscriptionType = name; break;
                        }
                    }
                    break;
                case GraphQLObjectTypeDefinition o:
                    schema.Add(o.Name, Kind.Object, o.Description, o.Fields?.Items);
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    schema.Add(i.Name, Kind.Interface, i.Description, i.Fields?.Items);
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    {
                        var type = schema.Add(input.Name, Kind.Input, input.Description, null);
                        foreach (var field in input.Fields?.Items ?? [])
                            type.Fields[field.Name.StringValue] = new FieldInfo(field.Name.StringValue, field.Type, field.Description?.Value.ToString());
                        break;
                    }
                case GraphQLEnumTypeDefinition e:
                    schema.Add(e.Name, Kind.Enum, e.Description, null).EnumValues.AddRange(e.Values?.Items.Select(v => v.EnumValue.Name.StringValue) ?? []);
                    break;
                case GraphQLScalarTypeDefinition s:
                    schema.Add(s.Name, Kind.Scalar, s.Description, null);
                    break;
                case GraphQLUnionTypeDefinition u:
                    schema.Add(u.Name, Kind.Union, u.Description, null).PossibleTypes.UnionWith(u.Types?.Items.Select(t => t.Name.StringValue) ?? []);
                    break;
            }
        }
        foreach (var type in schema.Types.Values.Where(t => t.Kind == Kind.Object))
        {
            // Interfaces know their implementations (for inline fragments on them).
            foreach (var definition in document.Definitions.OfType<GraphQLObjectTypeDefinition>().Where(d => d.Name.StringValue == type.Name))
            {
                foreach (var implemented in definition.Interfaces?.Items ?? [])
                {
                    if (schema.Types.TryGetValue(implemented.Name.StringValue, out var iface))
                        iface.PossibleTypes.Add(type.Name);
                }
            }
        }
        return schema;
    }

    private TypeInfo Add(GraphQLName name, Kind kind, GraphQLDescription? description, List<GraphQLFieldDefinition>? fields)
    {
        var type = new TypeInfo(name.StringValue, kind, description?.Value.ToString());
        foreach (var field in fields ?? [])
        {
            var info = new FieldInfo(field.Name.StringValue, field.Type, field.Description?.Value.ToString());
            foreach (var argument in field.Arguments?.Items ?? [])
                info.Arguments[argument.Name.StringValue] = argument.Type;
            type.Fields[info.Name] = info;
        }
        Types[type.Name] = type;
        return type;
    }

    /// <summary>The named type under any list and non-null wrappers.</summary>
    public static string NamedType(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => NamedType(n.Type),
        GraphQLListType l => NamedType(l.Type),
        GraphQLNamedType named => named.Name.StringValue,
        _ => "",
    };

    public bool IsComposite(string type) => Types.TryGetValue(type, out var t) && t.Kind is Kind.Object or Kind.Interface or Kind.Union;
}
