using Klaviyo.Core.Security;

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
