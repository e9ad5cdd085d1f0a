using Klaviyo.Client.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Snapshooter.Xunit;

namespace Klaviyo.Tests.Generator;

/// <summary>The client generator as the compiler runs it: what it writes for a schema and operations, and the errors it reports for broken ones.</summary>
public sealed class GeneratorTests
{
    private const string Schema = """
        schema { query: Query mutation: Mutation subscription: Subscription }
        "A point in time."
        scalar DateTime
        "Where an answer came from."
        enum DataSource { LIVE CACHE FALLBACK }
        enum SortEnumType { ASC DESC }
        input OrderInput { name: SortEnumType total: SortEnumType }
        input RangeInput { from: DateTime! to: DateTime }
        type Query {
          orders(first: Int, order: [OrderInput!], range: RangeInput): OrderConnection!
          order(id: ID!): Order
        }
        type Mutation { refresh(scopes: [String!]): Boolean! }
        type Subscription { changed: Change! }
        type Change { at: DateTime! records: Int! }
        type OrderConnection { nodes: [Order!]! pageInfo: PageInfo! totalCount: Int! lastUpdated: DateTime dataSource: DataSource! }
        type PageInfo { hasNextPage: Boolean! endCursor: String }
        "An order."
        type Order { id: ID! name: String! total: Float note: String placed: DateTime! items: [Item!] }
        type Item { sku: String! quantity: Int! }
        """;

    private const string Orders = """
        query Orders($first: Int, $order: [OrderInput!], $range: RangeInput) {
          orders(first: $first, order: $order, range: $range) {
            nodes { ...OrderFields items { sku quantity } }
            pageInfo { hasNextPage endCursor }
            totalCount
            lastUpdated
            dataSource
          }
        }

        fragment OrderFields on Order { id name total placed }
        """;

    private const string Order = """
        query Order($id: ID!) {
          order(id: $id) { id note }
        }
        """;

    private const string Changed = "subscription Changed { changed { at records } }";

    private static (GeneratorDriverRunResult Result, Compilation Output) Run(params (string Path, string Text)[] files)
    {
        var compilation = CSharpCompilation.Create("Client",
            [CSharpSyntaxTree.ParseText("namespace App; public static class Marker;", new CSharpParseOptions(LanguageVersion.Preview))],
            [.. AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => MetadataReference.CreateFromFile(a.Location))],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new GraphQLClientGenerator().AsSourceGenerator()],
            [.. files.Select(f => (AdditionalText)new Text(f.Path, f.Text))],
            new CSharpParseOptions(LanguageVersion.Preview),
            new Options(new Dictionary<string, string> { ["build_property.GraphQLClientNamespace"] = "App.Api", ["build_property.GraphQLClientName"] = "ShopClient" }));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    [Fact]
    public void Records_enums_inputs_fragments_and_one_method_per_operation_are_generated_and_compile()
    {
        var (result, output) = Run(("/repo/schema.graphql", Schema), ("/repo/Ops/Orders.graphql", Orders), ("/repo/Ops/Order.graphql", Order), ("/repo/Ops/Changed.graphql", Changed));

        Assert.Empty(result.Diagnostics);
        var source = Assert.Single(result.GeneratedTrees).GetText().ToString();
        Snapshot.Match(source);
        // The generated client compiles on its own (nullable on, warnings as errors would see the same).
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    public static TheoryData<string, string, string, int> Broken => new()
    {
        { "query Q { orders { nodes { id colour } } }", "KGQL002", "Cannot query field 'colour' on type 'Order'", 1 },
        { "query Q {\n  orders(sort: ASC) { totalCount }\n}", "KGQL003", "Unknown argument 'sort' on field 'Query.orders'", 2 },
        { "query Q { orders }", "KGQL004", "must have a selection of subfields", 1 },
        { "query Q { orders { totalCount { value } } }", "KGQL004", "is a leaf", 1 },
        { "query Q {\n  order { id }\n}", "KGQL009", "needs argument 'id' (ID!)", 2 },
        { "query Q($id: ID) { order(id: $id) { id } }", "KGQL006", "Variable '$id' of type 'ID' cannot be used for argument 'id' of 'Query.order', which expects 'ID!'", 1 },
        { "query Q {\n\n  order(id: $missing) { id }\n}", "KGQL006", "Variable '$missing' is not defined", 3 },
        { "query Q($unused: Int) { orders { totalCount } }", "KGQL006", "is never used", 1 },
        { "query Q { orders { nodes { ...Nope } } }", "KGQL005", "Unknown fragment 'Nope'", 1 },
        { "query Q($r: Widget) { orders(range: $r) { totalCount } }", "KGQL006", "not an input type", 1 },
        { "query Q { orders(order: [{ name: UP }]) { totalCount } }", "KGQL006", "'UP' is not a value of enum 'SortEnumType'", 1 },
        { "{ orders { totalCount } }", "KGQL007", "needs a name", 1 },
        { "query Q {\n  orders { totalCount\n}", "KGQL001", "", 3 },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void An_operation_that_does_not_validate_is_a_compile_error_at_its_file_and_line(string operation, string id, string message, int line)
    {
        var (result, _) = Run(("/repo/schema.graphql", Schema), ("/repo/Ops/Broken.graphql", operation));

        Assert.Empty(result.GeneratedTrees);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal((id, DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Contains(message, diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(("/repo/Ops/Broken.graphql", line), (span.Path, span.StartLinePosition.Line + 1));
    }

    [Fact]
    public void Without_a_schema_the_generator_says_what_to_add()
    {
        var (result, _) = Run(("/repo/Ops/Order.graphql", Order));
        Assert.Equal("KGQL008", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("AdditionalFiles", result.Diagnostics[0].GetMessage());
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Values([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Values([]);

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
