using Klaviyo.Core.Accounts;
using Klaviyo.Core.Alerts;
using Klaviyo.Core.Coordination;
using Klaviyo.Core.Data;
using Klaviyo.Core.Diagnostics;
using Klaviyo.Core.Digests;
using Klaviyo.Core.Freshness;
using Klaviyo.Core.Security;
using Klaviyo.Core.Sync;
using Klaviyo.Core.Webhooks;
using Klaviyo.GraphQL.Exports;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.Transport;

namespace Klaviyo.Server;

/// <summary>The API as one piece, for every host of it: alone (Program), inside the dashboard, under the fault suite.</summary>
public static class ServerComposition
{
    /// <summary>Database, security, GraphQL, the sandbox, the sync engine, Klaviyo's webhooks, alerts, diagnostics and the further accounts' shells.</summary>
    public static IHostApplicationBuilder AddKlaviyoApi(this IHostApplicationBuilder builder)
    {
        builder.AddKlaviyoDatabase();
        builder.AddKlaviyoSecurity();
        builder.AddKlaviyoFreshness();
        builder.AddKlaviyoGraphQL();
        builder.AddHostedKlaviyoSandbox();
        builder.AddKlaviyoCoordination();
        builder.AddKlaviyoSync();
        builder.AddKlaviyoWebhooks();
        builder.AddKlaviyoAlerts();
        builder.AddKlaviyoDigests();
        builder.AddKlaviyoDiagnostics();
        builder.AddKlaviyoAccounts();
        return builder;
    }

    /// <summary>GraphQL (HTTP, WebSocket, IDE), the sandbox, health, the CSV exports and the webhook receiver; after <c>UseKlaviyoSecurity</c>.</summary>
    public static WebApplication MapKlaviyoApi(this WebApplication app)
    {
        app.MapKlaviyoGraphQL();
        app.MapHostedKlaviyoSandbox();
        app.MapKlaviyoHealth();
        app.MapKlaviyoExports();
        app.MapKlaviyoWebhooks();
        return app;
    }
}
