using System.Text.Json.Nodes;

namespace Klaviyo.Sandbox;

public static class SandboxServiceCollectionExtensions
{
    /// <summary>On when Sandbox:Enabled says so, or by default when no Klaviyo:ApiKey is configured.</summary>
    public static bool IsSandboxEnabled(this IConfiguration configuration) =>
        configuration.GetValue<bool?>($"{SandboxOptions.Section}:Enabled") ?? string.IsNullOrWhiteSpace(configuration["Klaviyo:ApiKey"]);

    public static IHostApplicationBuilder AddKlaviyoSandbox(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SandboxOptions>(builder.Configuration.GetSection(SandboxOptions.Section));
        builder.Services.PostConfigure<SandboxOptions>(o =>
        {
            if (!string.Equals(o.Size, "Benchmark", StringComparison.OrdinalIgnoreCase))
                return;
            o.EventsPerDay = 5_000_000 / o.HistoryDays;
            o.Profiles = 50_000;
        });
        builder.Services.AddSingleton<SandboxTimeline>();
        builder.Services.AddSingleton<SandboxAccount>();
        builder.Services.AddSingleton<SandboxRateLimiter>();
        builder.Services.AddSingleton<SandboxFaultSwitch>();
        builder.Services.AddSingleton<SandboxWebhooks>();
        builder.Services.AddHttpClient(SandboxWebhookDelivery.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10));
        if (builder.Configuration.IsSandboxEnabled())
            builder.Services.AddHostedService<SandboxWebhookDelivery>();
        return builder;
    }

    /// <summary>Mounts the emulator so that /sandbox/klaviyo/api/x mirrors https://a.klaviyo.com/api/x.</summary>
    /// <param name="controlPolicy">The authorization policy of the fault control; none, and the control is not mounted.</param>
    public static WebApplication MapKlaviyoSandbox(this WebApplication app, string? controlPolicy = null)
    {
        if (!app.Configuration.IsSandboxEnabled())
            return app;
        var api = app.MapGroup(JsonApi.Prefix + "/api");
        api.MapCatalog();
        api.MapActivity();
        api.MapReports();
        api.MapAggregates();
        api.MapWebhooks();

        // Fault control exists only while the sandbox is on, and only for those the host's policy admits.
        if (controlPolicy is null)
            return app;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Klaviyo.Sandbox");
        app.MapPost(JsonApi.Prefix + "/_control/faults", (HttpContext http, JsonObject body, SandboxFaultSwitch faults) =>
        {
            var next = body.Count == 0 ? new SandboxFaults()
                : System.Text.Json.JsonSerializer.Deserialize<SandboxFaults>(body.ToJsonString(), System.Text.Json.JsonSerializerOptions.Web);
            if (next is null || next.ErrorRate is < 0 or > 1 || next.WebhookDropRate is < 0 or > 1 || next.LatencyMs is < 0 or > 60_000)
                return Results.BadRequest(new { error = "errorRate and webhookDropRate must be 0–1 and latencyMs 0–60000." });
            faults.Set(next);
            logger.LogWarning("Sandbox faults set by {User}: {Faults}", http.User.Identity?.Name, body.ToJsonString());
            return Results.Ok(next);
        }).RequireAuthorization(controlPolicy);
        app.MapGet(JsonApi.Prefix + "/_control/faults", (SandboxFaultSwitch faults) => Results.Ok(faults.Current)).RequireAuthorization(controlPolicy);
        return app;
    }
}
