using Klaviyo.GraphQL.Data;
using Klaviyo.GraphQL.Diagnostics;
using Klaviyo.GraphQL.Exports;
using Klaviyo.GraphQL.GraphQL;
using Klaviyo.GraphQL.Sandbox;
using Klaviyo.GraphQL.Security;
using Klaviyo.GraphQL.Sync;

namespace Klaviyo.GraphQL;

/// <summary>The API as one piece, for every host of it: alone (Program), inside the dashboard, under the fault suite.</summary>
public static class KlaviyoApi
{
    /// <summary>Database, security, GraphQL, the sandbox, the sync engine and diagnostics.</summary>
    public static IHostApplicationBuilder AddKlaviyoApi(this IHostApplicationBuilder builder)
    {
        builder.AddKlaviyoDatabase();
        builder.AddKlaviyoSecurity();
        builder.AddKlaviyoGraphQL();
        builder.AddKlaviyoSandbox();
        builder.AddKlaviyoSync();
        builder.AddKlaviyoDiagnostics();
        return builder;
    }

    /// <summary>GraphQL (HTTP, WebSocket, IDE), the sandbox, health and the CSV exports; after <c>UseKlaviyoSecurity</c>.</summary>
    public static WebApplication MapKlaviyoApi(this WebApplication app)
    {
        app.MapKlaviyoGraphQL();
        app.MapKlaviyoSandbox();
        app.MapKlaviyoHealth();
        app.MapKlaviyoExports();
        return app;
    }
}
