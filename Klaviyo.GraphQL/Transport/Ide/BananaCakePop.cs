using System.Text.Json;
using Microsoft.Extensions.FileProviders;

namespace Klaviyo.GraphQL.Transport.Ide;

/// <summary>
/// Serves the Banana Cake Pop IDE as Hot Chocolate does: GET /graphql from a browser redirects
/// to /graphql/, which serves the app and its bcp-config.json; the files come from the npm
/// package the build copies to the output folder.
/// </summary>
public static class BananaCakePop
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "GraphQLIde");

    public static bool IsInstalled => File.Exists(Path.Combine(Folder, "index.html"));

    public static void MapBananaCakePop(this WebApplication app, string path)
    {
        app.MapGet(path + "/bcp-config.json", () => Results.Json(new
        {
            endpoint = path,
            useBrowserUrlAsEndpoint = false,
            title = "Klaviyo Analytics GraphQL",
            subscriptionProtocol = "graphql-transport-ws",
            disableTelemetry = true,
            // A signed-in user's session cookie authenticates the IDE (same origin); tools send an API key instead.
            includeCookies = true,
        }, JsonSerializerOptions.Web));

        if (IsInstalled)
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(Folder),
                RequestPath = path,
                // The package's LICENSE has no extension; it must be readable beside the IDE.
                ServeUnknownFileTypes = true,
                DefaultContentType = "text/plain",
            });
    }

    /// <summary>The IDE's page (routing treats /graphql/ as /graphql, so the GraphQL endpoint calls this).</summary>
    public static IResult Page() => IsInstalled
        ? Results.File(Path.Combine(Folder, "index.html"), "text/html; charset=utf-8")
        : Results.Content(NotInstalledPage, "text/html; charset=utf-8");

    private const string NotInstalledPage = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>GraphQL IDE not installed</title></head>
        <body style="font-family:system-ui;max-width:40rem;margin:3rem auto;line-height:1.5">
        <h1>Banana Cake Pop is not installed</h1>
        <p>The GraphQL endpoint works (POST or GET <code>/graphql</code>; the schema is at <a href="../graphql?sdl"><code>/graphql?sdl</code></a>),
        but the IDE was not bundled because npm was not available when the project was built.</p>
        <p>Install Node.js with npm, then rebuild: <code>dotnet build</code> runs <code>npm ci</code> in <code>Klaviyo.GraphQL/GraphQLIde</code>.</p>
        </body></html>
        """;
}
