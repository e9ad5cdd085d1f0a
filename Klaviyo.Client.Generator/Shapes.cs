using System.Collections.Generic;
using System.Linq;
using GraphQLParser.AST;

namespace Klaviyo.Client.Generator;

/// <summary>What a selection set asks of one schema type: the members a result record gets.</summary>
internal sealed class Shape(string schemaType, string operation, string path)
{
    public string SchemaType { get; } = schemaType;
    public string Operation { get; } = operation;
    /// <summary>Response keys from the root, for names when two selections of one type differ.</summary>
    public string Path { get; } = path;
    public List<Member> Members { get; } = [];
    /// <summary>Fragments spread here on this very type: the record implements their interfaces.</summary>
    public SortedSet<string> Fragments { get; } = [];
    public string Name { get; set; } = "";

    public Member? Find(string responseName) => Members.FirstOrDefault(m => m.ResponseName == responseName);

    /// <summary>Two selections with one signature can share one record.</summary>
    public string Signature() =>
        SchemaType + "{" + string.Join(",", Members.Select(m => m.ResponseName + ":" + m.FieldName + (m.Nested is null ? "" : m.Nested.Signature()))) + "|" + string.Join(",", Fragments) + "}";
}

internal sealed class Member(string responseName, string fieldName, GraphQLType type, string? description, bool conditional = false)
{
    /// <summary>Under @include/@skip: may be absent from the response, so optional in the record.</summary>
    public bool Conditional { get; } = conditional;
    public string ResponseName { get; } = responseName;
    public string FieldName { get; } = fieldName;
    public GraphQLType Type { get; } = type;
    public string? Description { get; } = description;
    public Shape? Nested { get; set; }
}

internal sealed class VariableInfo(string name, GraphQLType type, bool hasDefault)
{
    public string Name { get; } = name;
    public GraphQLType Type { get; } = type;
    public bool HasDefault { get; } = hasDefault;
    public bool Required => Type is GraphQLNonNullType && !HasDefault;
}

internal sealed class OperationInfo(string name, OperationType type, string document, Shape root)
{
    public string Name { get; } = name;
    public OperationType Type { get; } = type;
    /// <summary>The file's text: the operation and the fragments it uses, sent as is.</summary>
    public string Document { get; } = document;
    public Shape Root { get; } = root;
    public List<VariableInfo> Variables { get; } = [];
}

/// <summary>A fragment's scalar members: the interface every record that spreads it implements.</summary>
internal sealed class FragmentInfo(string name, string schemaType)
{
    public string Name { get; } = name;
    public string SchemaType { get; } = schemaType;
    public List<Member> Members { get; } = [];
}
