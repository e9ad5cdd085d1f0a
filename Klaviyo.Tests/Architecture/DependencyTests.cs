using System.Reflection;

namespace Klaviyo.Tests.Architecture;

/// <summary>
/// The projects' dependencies point one way: hosts → GraphQL layer → core → the API's shared rules.
/// Read from the compiled assemblies' references (what the code really uses), so a stray
/// <c>using</c> that the compiler keeps is caught as well as a new project reference.
/// </summary>
public sealed class DependencyTests
{
    private static readonly Assembly Core = typeof(Klaviyo.Core.Data.KlaviyoDbContext).Assembly;
    private static readonly Assembly GraphQL = typeof(Klaviyo.GraphQL.Schema.KlaviyoSchema).Assembly;
    private static readonly Assembly Server = typeof(Klaviyo.Server.Program).Assembly;
    private static readonly Assembly Web = typeof(global::Program).Assembly;
    private static readonly Assembly Sandbox = typeof(Klaviyo.Sandbox.SandboxOptions).Assembly;
    private static readonly Assembly Api = typeof(Klaviyo.Api.RateTier).Assembly;

    private static string[] References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void The_core_knows_neither_GraphQL_nor_the_sandbox_nor_any_host()
    {
        var references = References(Core);
        Assert.DoesNotContain(references, r => r == "GraphQL" || r.StartsWith("GraphQL.", StringComparison.Ordinal) || r == "GraphQLParser");
        Assert.DoesNotContain(references, r => r is "Klaviyo.Sandbox" or "Klaviyo.GraphQL" or "Klaviyo.Server" or "Klaviyo.Web");
        Assert.Contains("Klaviyo.Api", references);
    }

    [Fact]
    public void The_GraphQL_layer_stands_on_the_core_and_knows_no_sandbox_or_host()
    {
        var references = References(GraphQL);
        Assert.Contains("Klaviyo.Core", references);
        Assert.DoesNotContain(references, r => r is "Klaviyo.Sandbox" or "Klaviyo.Server" or "Klaviyo.Web");
    }

    [Fact]
    public void Only_the_hosts_reference_the_sandbox()
    {
        Assembly[] product = [Api, Core, GraphQL, Sandbox, Server, Web];
        var referencing = product.Where(a => References(a).Contains("Klaviyo.Sandbox")).Select(a => a.GetName().Name!).ToList();
        Assert.Contains("Klaviyo.Server", referencing); // it hosts the sandbox for itself and for the dashboard
        Assert.Empty(referencing.Except(["Klaviyo.Server", "Klaviyo.Web"]));
    }

    [Fact]
    public void The_shared_API_rules_and_the_sandbox_know_nothing_of_the_product()
    {
        Assert.DoesNotContain(References(Api), r => r.StartsWith("Klaviyo.", StringComparison.Ordinal));
        Assert.Equal(["Klaviyo.Api"], References(Sandbox).Where(r => r.StartsWith("Klaviyo.", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Klaviyo.Core")]
    [InlineData("Klaviyo.GraphQL")]
    [InlineData("Klaviyo.Server")]
    public void Every_type_lives_in_its_projects_namespace_and_no_namespace_repeats_a_segment(string project)
    {
        var assembly = new[] { Core, GraphQL, Server }.Single(a => a.GetName().Name == project);
        var namespaces = assembly.GetTypes().Select(t => t.Namespace).OfType<string>().Where(n => n.StartsWith("Klaviyo", StringComparison.Ordinal)).Distinct().ToList();
        Assert.All(namespaces, n => Assert.StartsWith(project, n, StringComparison.Ordinal));
        // No Klaviyo.GraphQL.GraphQL or Klaviyo.Core.RestClient: a segment that repeats the project's name says nothing.
        Assert.All(namespaces, n => Assert.Equal(n.Split('.').Length, n.Split('.').Distinct().Count()));
    }
}
