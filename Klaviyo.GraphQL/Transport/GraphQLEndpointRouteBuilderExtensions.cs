using GraphQL;
using GraphQL.Types;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Transport.Http;
using Klaviyo.GraphQL.Transport.Ide;
using Klaviyo.GraphQL.Transport.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Klaviyo.GraphQL.Transport;

public static class GraphQLEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Everything at the GraphQL path: WebSockets (graphql-transport-ws), GET and POST over HTTP,
    /// the SDL at <c>?sdl</c>, and Banana Cake Pop for browsers.
    /// </summary>
    public static WebApplication MapKlaviyoGraphQL(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GraphQLServerOptions>>().Value;
        var path = options.Path.TrimEnd('/');
        app.UseWebSockets();
        app.MapBananaCakePop(path);
        app.Map(path, async (HttpContext http, GraphQLHttpHandler handler, GraphQLWebSocketEndpoint sockets, ISchema schema) =>
        {
            if (http.WebSockets.IsWebSocketRequest)
            {
                await sockets.HandleAsync(http);
                return;
            }
            if (HttpMethods.IsGet(http.Request.Method))
            {
                if (http.Request.Query.ContainsKey("sdl"))
                {
                    if (!http.User.IsInRole(Roles.Viewer))
                    {
                        await http.ChallengeAsync();
                        return;
                    }
                    http.Response.ContentType = "text/plain; charset=utf-8";
                    await http.Response.WriteAsync(schema.Print(), http.RequestAborted);
                    return;
                }
                if (http.Request.Path.Value?.EndsWith('/') == true)
                {
                    if (http.User.Identity?.IsAuthenticated != true)
                    {
                        http.Response.Redirect($"{SessionCookie.LoginPath}?returnUrl={Uri.EscapeDataString(path + "/")}");
                        return;
                    }
                    await BananaCakePop.Page().ExecuteAsync(http);
                    return;
                }
                if (!http.Request.Query.ContainsKey("query") && AcceptsHtml(http.Request))
                {
                    http.Response.Redirect(path + "/", permanent: true);
                    return;
                }
            }
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = "GET, POST";
                return;
            }
            await handler.HandleAsync(http);
        }).RequireRateLimiting(SecurityServiceCollectionExtensions.ApiRateLimit);
        return app;
    }

    public static IServiceCollection AddGraphQLTransport(this IServiceCollection services) => services
        .AddSingleton<DocumentCache>()
        .AddSingleton<OperationExecutor>()
        .AddSingleton<SocketAuthentication>()
        .AddSingleton<GraphQLHttpHandler>()
        .AddSingleton<GraphQLWebSocketEndpoint>()
        .AddSingleton<SocketRegistry>();

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
