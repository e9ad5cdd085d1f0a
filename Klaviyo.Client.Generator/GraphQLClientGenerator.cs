using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using GraphQLParser;
using GraphQLParser.Exceptions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Klaviyo.Client.Generator;

/// <summary>
/// A typed GraphQL client from <c>schema.graphql</c> and the operation files (both AdditionalFiles):
/// result records with the schema's nullability, enums, input records, fragment interfaces, and one
/// method per operation. An operation that does not validate against the schema is a compile error at
/// its file and line. MSBuild properties: GraphQLClientNamespace, GraphQLClientName.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GraphQLClientGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(f => f.Path.EndsWith(".graphql", System.StringComparison.OrdinalIgnoreCase))
            .Select((f, token) => (f.Path, Text: f.GetText(token)))
            .Where(f => f.Text is not null)
            .Collect();
        var settings = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
        {
            options.GlobalOptions.TryGetValue("build_property.GraphQLClientNamespace", out var ns);
            options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root);
            options.GlobalOptions.TryGetValue("build_property.GraphQLClientName", out var name);
            return (Namespace: string.IsNullOrWhiteSpace(ns) ? (root ?? "Generated") + ".GraphQL" : ns!, Name: string.IsNullOrWhiteSpace(name) ? "GraphQLClient" : name!);
        });
        context.RegisterSourceOutput(files.Combine(settings), (output, input) =>
        {
            var (all, (ns, name)) = input;
            var (source, diagnostics) = Generate(all.Select(f => (f.Path, f.Text!)).ToImmutableArray(), ns, name);
            foreach (var diagnostic in diagnostics)
                output.ReportDiagnostic(diagnostic);
            if (source is not null)
                output.AddSource(name + ".g.cs", SourceText.From(source, System.Text.Encoding.UTF8));
        });
    }

    /// <summary>The generated source (null when nothing can be generated) and what is wrong with the inputs.</summary>
    public static (string? Source, IReadOnlyList<Diagnostic> Diagnostics) Generate(ImmutableArray<(string Path, SourceText Text)> files, string ns, string clientName)
    {
        var diagnostics = new List<Diagnostic>();
        var schemaFile = files.Where(f => Path.GetFileName(f.Path) == "schema.graphql").ToList();
        if (schemaFile.Count != 1)
        {
            diagnostics.Add(Diagnostic.Create(Diagnostics.Schema, Microsoft.CodeAnalysis.Location.None, schemaFile.Count == 0
                ? "No schema.graphql among the AdditionalFiles: add <AdditionalFiles Include=\"path/to/schema.graphql\" />"
                : "More than one schema.graphql among the AdditionalFiles"));
            return (null, diagnostics);
        }
        var schemaSource = new GraphQLSource(schemaFile[0].Path, schemaFile[0].Text);
        SchemaModel schema;
        try
        {
            schema = SchemaModel.From(Parser.Parse(schemaFile[0].Text.ToString(), new ParserOptions { Ignore = IgnoreOptions.Comments }));
        }
        catch (GraphQLParserException e)
        {
            diagnostics.Add(Diagnostic.Create(Diagnostics.Schema, schemaSource.Locate(e.Location.Line, e.Location.Column, 1), e.Description));
            return (null, diagnostics);
        }

        var operations = new List<OperationInfo>();
        var fragments = new Dictionary<string, FragmentInfo>();
        foreach (var file in files.Where(f => Path.GetFileName(f.Path) != "schema.graphql").OrderBy(f => f.Path, System.StringComparer.Ordinal))
        {
            var reader = new OperationReader(schema, new GraphQLSource(file.Path, file.Text), diagnostics);
            reader.Read();
            foreach (var operation in reader.Operations)
            {
                if (operations.Any(o => o.Name == operation.Name))
                    diagnostics.Add(Diagnostic.Create(Diagnostics.Operation, new GraphQLSource(file.Path, file.Text).Locate(0, 0), $"Another file already defines an operation named '{operation.Name}'"));
                else
                    operations.Add(operation);
            }
            foreach (var fragment in reader.Fragments)
                fragments[fragment.Key] = fragment.Value;
        }
        if (diagnostics.Count > 0)
            return (null, diagnostics);
        return (new Emitter(schema, ns, clientName).Emit(operations, fragments), diagnostics);
    }
}
