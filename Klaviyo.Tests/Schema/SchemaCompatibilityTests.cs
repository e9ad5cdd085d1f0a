using System.Reflection;
using GraphQL;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Schema;

/// <summary>
/// Rollout safety: the served schema against <c>schema.released.graphql</c>, the schema of the last
/// release. A change that can break a client already using the released schema (a type, field,
/// argument or enum value removed, a type changed, a new required argument or input field) fails
/// unless the major version went up; every version the project carries is in CHANGELOG.md.
/// </summary>
public sealed class SchemaCompatibilityTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static string ReleasedPath => Path.Combine(RepositoryRoot.Path, "schema.released.graphql");

    private static Version Current
    {
        get
        {
            var informational = typeof(Klaviyo.Server.Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
            return Version.Parse(informational.Split('+')[0]);
        }
    }

    /// <summary>The released version, from the file's first line: <c># Released as version 1.1.0 …</c>.</summary>
    private static Version Released(string text) =>
        Version.Parse(text.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "version").Skip(1).First());

    [Fact]
    public void The_served_schema_keeps_every_promise_of_the_released_one_unless_the_major_version_went_up()
    {
        var releasedText = File.ReadAllText(ReleasedPath).ReplaceLineEndings("\n");
        var breaking = BreakingChanges(Parse(releasedText), Parse(factory.Service<ISchema>().Print()));
        var released = Released(releasedText);

        Assert.True(breaking.Count == 0 || Current.Major > released.Major,
            $"Breaking changes against schema.released.graphql (version {released}); raise the major version (Directory.Build.props) and record them in CHANGELOG.md:\n  " + string.Join("\n  ", breaking));
        Assert.True(Current >= released, $"The version {Current} is older than the released {released}.");
    }

    [Fact]
    public void The_changelog_records_the_current_version()
    {
        var changelog = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "CHANGELOG.md"));
        Assert.Contains($"## {Current.ToString(3)}", changelog);
    }

    [Fact]
    public void The_checker_sees_breaking_changes_and_lets_additions_through()
    {
        var before = Parse("""
            type Query { a(x: Int): String! b: Int old: Int }
            enum E { ONE TWO }
            input I { f: Int }
            """);
        var after = Parse("""
            type Query { a(x: Int, y: Int!): String b: Int! added: Int }
            enum E { ONE }
            input I { f: Int g: Int! }
            type New { n: Int }
            """);

        Assert.Equal(
            ["Query.a: type String! became String", "Query.a(y): new required argument", "Query.old: removed", "E.TWO: removed", "I.g: new required input field"],
            BreakingChanges(before, after));
        Assert.Empty(BreakingChanges(before, before));
    }

    private static GraphQLDocument Parse(string sdl) => Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.Comments });

    private static List<string> BreakingChanges(GraphQLDocument released, GraphQLDocument served)
    {
        var changes = new List<string>();
        var now = served.Definitions.OfType<GraphQLTypeDefinition>().ToDictionary(t => t.Name.StringValue);
        foreach (var type in released.Definitions.OfType<GraphQLTypeDefinition>())
        {
            var name = type.Name.StringValue;
            if (!now.TryGetValue(name, out var current))
            {
                changes.Add($"{name}: removed");
                continue;
            }
            if (current.GetType() != type.GetType())
            {
                changes.Add($"{name}: kind changed");
                continue;
            }
            switch (type, current)
            {
                case (IHasFieldsDefinitionNode before, IHasFieldsDefinitionNode after):
                    var fields = after.Fields?.Items.ToDictionary(f => f.Name.StringValue) ?? [];
                    foreach (var field in before.Fields?.Items ?? [])
                    {
                        var path = $"{name}.{field.Name.StringValue}";
                        if (!fields.TryGetValue(field.Name.StringValue, out var now1))
                        {
                            changes.Add($"{path}: removed");
                            continue;
                        }
                        // An output may become stricter (gain a !), never looser.
                        if (Print(field.Type) != Print(now1.Type) && Print(field.Type) + "!" != Print(now1.Type))
                            changes.Add($"{path}: type {Print(field.Type)} became {Print(now1.Type)}");
                        changes.AddRange(Arguments(path, field.Arguments, now1.Arguments));
                    }
                    break;
                case (GraphQLInputObjectTypeDefinition before, GraphQLInputObjectTypeDefinition after):
                    var inputs = after.Fields?.Items.ToDictionary(f => f.Name.StringValue) ?? [];
                    foreach (var field in before.Fields?.Items ?? [])
                    {
                        if (!inputs.TryGetValue(field.Name.StringValue, out var now2))
                            changes.Add($"{name}.{field.Name.StringValue}: removed");
                        else if (!InputCompatible(field.Type, now2.Type))
                            changes.Add($"{name}.{field.Name.StringValue}: type {Print(field.Type)} became {Print(now2.Type)}");
                    }
                    var known = (before.Fields?.Items ?? []).Select(f => f.Name.StringValue).ToHashSet();
                    foreach (var added in (after.Fields?.Items ?? []).Where(f => !known.Contains(f.Name.StringValue) && f.Type is GraphQLNonNullType && f.DefaultValue is null))
                        changes.Add($"{name}.{added.Name.StringValue}: new required input field");
                    break;
                case (GraphQLEnumTypeDefinition before, GraphQLEnumTypeDefinition after):
                    var values = after.Values?.Items.Select(v => v.Name.StringValue).ToHashSet() ?? [];
                    changes.AddRange((before.Values?.Items ?? []).Where(v => !values.Contains(v.Name.StringValue)).Select(v => $"{name}.{v.Name.StringValue}: removed"));
                    break;
                case (GraphQLUnionTypeDefinition before, GraphQLUnionTypeDefinition after):
                    var members = after.Types?.Items.Select(t => t.Name.StringValue).ToHashSet() ?? [];
                    changes.AddRange((before.Types?.Items ?? []).Where(t => !members.Contains(t.Name.StringValue)).Select(t => $"{name}: member {t.Name.StringValue} removed"));
                    break;
            }
        }
        return changes;
    }

    private static IEnumerable<string> Arguments(string path, GraphQLArgumentsDefinition? released, GraphQLArgumentsDefinition? served)
    {
        var now = served?.Items.ToDictionary(a => a.Name.StringValue) ?? [];
        foreach (var argument in released?.Items ?? [])
        {
            if (!now.TryGetValue(argument.Name.StringValue, out var current))
                yield return $"{path}({argument.Name.StringValue}): removed";
            else if (!InputCompatible(argument.Type, current.Type))
                yield return $"{path}({argument.Name.StringValue}): type {Print(argument.Type)} became {Print(current.Type)}";
        }
        var known = (released?.Items ?? []).Select(a => a.Name.StringValue).ToHashSet();
        foreach (var added in (served?.Items ?? []).Where(a => !known.Contains(a.Name.StringValue) && a.Type is GraphQLNonNullType && a.DefaultValue is null))
            yield return $"{path}({added.Name.StringValue}): new required argument";
    }

    /// <summary>An input may become looser (lose a !), never stricter or another type.</summary>
    private static bool InputCompatible(GraphQLType released, GraphQLType served) =>
        Print(released) == Print(served) || Print(released) == Print(served) + "!";

    private static string Print(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => Print(nonNull.Type) + "!",
        GraphQLListType list => "[" + Print(list.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => type.ToString() ?? "",
    };
}
