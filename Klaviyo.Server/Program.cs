using Klaviyo.Core.Data;
using Klaviyo.GraphQL.Diagnostics;
using Klaviyo.Core.Diagnostics;
using Klaviyo.GraphQL.Exports;
using Klaviyo.Core.Exports;
using Klaviyo.GraphQL.Schema;
using Klaviyo.GraphQL.Transport;
using Klaviyo.GraphQL.Security;
using Klaviyo.Core.Security;
using Klaviyo.GraphQL.Sync;
using Klaviyo.Core.Sync;
using Klaviyo.Sandbox;

namespace Klaviyo.Server;

/// <summary>Runs the GraphQL API alone (the dashboard hosts the same pieces in-process).</summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddKlaviyoApi();

        var app = builder.Build();
        if (AdminCommand.TryRunAsync(app, args).GetAwaiter().GetResult())
            return Environment.ExitCode;
        app.UseKlaviyoSecurity();
        app.MapKlaviyoApi();
        return app.RunUntilRefusedAsync().GetAwaiter().GetResult();
    }
}
