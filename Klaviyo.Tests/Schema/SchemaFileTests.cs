using GraphQL;
using GraphQL.Types;
using Klaviyo.Tests.Infrastructure;

namespace Klaviyo.Tests.Schema;

public sealed class SchemaFileTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public const string RegenerateCommand = "UPDATE_SCHEMA=1 dotnet test --filter Schema_file_matches_the_served_schema";

    [Fact]
    public void Schema_file_matches_the_served_schema()
    {
        var printed = factory.Service<ISchema>().Print().ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(RepositoryRoot.Path, "schema.graphql");
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1")
            File.WriteAllText(path, printed);

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        Assert.True(committed == printed, $"schema.graphql differs from the schema the server serves. Regenerate it with:\n    {RegenerateCommand}");
    }

    [Fact]
    public async Task The_SDL_endpoint_serves_the_same_schema()
    {
        var sdl = await factory.CreateClient().GetStringAsync("/graphql?sdl");
        Assert.Equal(factory.Service<ISchema>().Print(), sdl);
    }
}
