using System.Net;
using GraphQL.Types;
using Klaviyo.GraphQL.Schema;
using Klaviyo.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Protection;

/// <summary>Depth, complexity and time limits, and errors that say what failed without leaking how.</summary>
public sealed class ProtectionTests(ProtectionTests.Factory factory) : IClassFixture<ProtectionTests.Factory>
{
    public sealed class Factory : ApiFactory
    {
        public Factory() => With("GraphQL:ExecutionTimeout", "00:00:02")
            .WithServices(s => s.AddSingleton<IQueryFields, MisbehavingFields>());
    }

    /// <summary>Fields that fail in the ways production code can, to check what clients see.</summary>
    private sealed class MisbehavingFields : IQueryFields
    {
        public void AddTo(ObjectGraphType query)
        {
            query.Field<StringGraphType>("slow").ResolveAsync(async ctx =>
            {
                await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                return "never";
            });
            query.Field<StringGraphType>("boom").Resolve(_ => throw new InvalidOperationException("connection string Password=hunter2"));
            query.Field<StringGraphType>("databaseDown").Resolve(_ => throw new SqliteException("unable to open database file", 14));
        }
    }

    private readonly GraphQLTestClient _client = factory.GraphQL();

    [Fact]
    public async Task A_depth_50_query_is_refused_before_execution()
    {
        var query = "{ __schema { types { fields { type " + string.Concat(Enumerable.Repeat("{ ofType ", 46)) + "{ name }" + new string('}', 46) + " } } } }";
        var response = await _client.PostAsync(query, accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.False(response.HasData);
        Assert.Contains("depth", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(response.Errors![0]!["extensions"]!["code"]);
    }

    [Fact]
    public async Task Three_aliased_copies_of_the_full_introspection_are_refused()
    {
        // One introspection fits the limit (the test above); copies of it are counted and refused.
        var fragments = IntrospectionQuery[IntrospectionQuery.IndexOf("fragment ", StringComparison.Ordinal)..];
        var copies = string.Concat(Enumerable.Range(0, 3).Select(i => $"s{i}: __schema {{ types {{ ...FullType }} }} "));
        var response = await _client.PostAsync("query Copies { " + copies + "} " + fragments);
        Assert.False(response.HasData);
        Assert.Contains("complexity", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_overly_complex_query_is_refused()
    {
        var aliases = string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"c{i}: campaigns(first: 100) {{ nodes {{ id name status channel subject delivered openRate clickRate conversionRate revenue }} }} "));
        var response = await _client.PostAsync("{ " + aliases + "}");
        Assert.False(response.HasData);
        Assert.Contains("complexity", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_introspection_query_of_IDEs_fits_the_limits()
    {
        var response = await _client.PostAsync(IntrospectionQuery);
        Assert.True(response.Errors is null, response.Body);
        Assert.NotNull(response.Data!["__schema"]);
    }

    [Fact]
    public async Task A_resolver_past_the_execution_timeout_gets_a_TIMEOUT_error()
    {
        var response = await _client.PostAsync("{ slow }");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("TIMEOUT", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unexpected_exceptions_are_INTERNAL_ERROR_without_details_or_secrets()
    {
        var response = await _client.PostAsync("{ boom __typename }");
        Assert.Equal("INTERNAL_ERROR", response.Errors![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(["boom"], response.Errors![0]!["path"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("Query", response.Data!["__typename"]!.GetValue<string>()); // the rest of the query still answers
        Assert.DoesNotContain("hunter2", response.Body);
        Assert.DoesNotContain("InvalidOperationException", response.Body);
        Assert.DoesNotContain("   at ", response.Body);
    }

    [Fact]
    public async Task Database_failures_are_DATABASE_UNAVAILABLE()
    {
        var response = await _client.PostAsync("{ databaseDown }");
        var extensions = response.Errors![0]!["extensions"]!;
        Assert.Equal("DATABASE_UNAVAILABLE", extensions["code"]!.GetValue<string>());
        // A message a marketer can act on; in Production no driver text, stack trace or file path (the log has the detail).
        Assert.Contains("database", response.Errors[0]!["message"]!.GetValue<string>());
        Assert.Null(extensions["detail"]);
        Assert.DoesNotContain("unable to open", response.Body);
        Assert.DoesNotContain(" at ", response.Body);
        Assert.DoesNotContain("/tmp", response.Body);
    }

    [Fact]
    public async Task Every_error_carries_a_code()
    {
        string[] queries = ["{", "{ nope }", "{ campaigns(first: 0) { totalCount } }", "{ boom }", "{ metricSeries(metricId: \"x\", range: { start: \"2026-01-01T00:00:00Z\", end: \"2026-01-02T00:00:00Z\" }, interval: DAY, measurement: COUNT) { total } }"];
        foreach (var query in queries)
        {
            var response = await _client.PostAsync(query);
            Assert.All(response.Errors!, e => Assert.False(string.IsNullOrEmpty(e!["extensions"]?["code"]?.GetValue<string>()), $"{query}: {e!.ToJsonString()}"));
        }
    }

    private const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """;
}
