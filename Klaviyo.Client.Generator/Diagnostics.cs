using Microsoft.CodeAnalysis;

namespace Klaviyo.Client.Generator;

/// <summary>What the generator reports: an operation that does not validate against the schema is a compile error at its line.</summary>
internal static class Diagnostics
{
    private const string Category = "GraphQL";

    public static readonly DiagnosticDescriptor Syntax = Error("KGQL001", "GraphQL syntax error", "{0}");
    public static readonly DiagnosticDescriptor UnknownField = Error("KGQL002", "Unknown field", "Cannot query field '{0}' on type '{1}'");
    public static readonly DiagnosticDescriptor UnknownArgument = Error("KGQL003", "Unknown argument", "Unknown argument '{0}' on field '{1}.{2}'");
    public static readonly DiagnosticDescriptor SelectionSet = Error("KGQL004", "Wrong selection set", "{0}");
    public static readonly DiagnosticDescriptor Fragment = Error("KGQL005", "Fragment problem", "{0}");
    public static readonly DiagnosticDescriptor Variable = Error("KGQL006", "Variable problem", "{0}");
    public static readonly DiagnosticDescriptor Operation = Error("KGQL007", "Operation problem", "{0}");
    public static readonly DiagnosticDescriptor Schema = Error("KGQL008", "Schema problem", "{0}");
    public static readonly DiagnosticDescriptor MissingArgument = Error("KGQL009", "Missing required argument", "Field '{0}.{1}' needs argument '{2}' ({3})");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
