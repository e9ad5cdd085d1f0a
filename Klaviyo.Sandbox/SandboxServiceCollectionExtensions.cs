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
        builder.Services.PostConfigure<SandboxOptions>(ApplySize);
        builder.Services.AddSingleton<SandboxTimeline>();
        builder.Services.AddSingleton<SandboxAccount>();
        builder.Services.AddSingleton<SandboxRateLimiter>();
        builder.Services.AddSingleton<SandboxFaultSwitch>();
        builder.Services.AddSingleton<SandboxAnomalies>();
        builder.Services.AddSingleton<SandboxWebhooks>();
        builder.Services.AddSingleton<SandboxTenants>();
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
        // Further accounts are created at start-up (their anchors fixed then), and each request is served by its key's account.
        app.Services.GetRequiredService<SandboxTenants>();
        app.Use(SandboxTenants.Route);
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

        // Anomalies to play from now: { "kind": "revenue-drop", "percent": 60, "hours": 6 }, { "kind": "flow-stops", "hours": 24, "flowId": "…" }, { "kind": "bounce-spike", "percent": 8, "hours": 2 }.
        app.MapPost(JsonApi.Prefix + "/_control/anomalies", (HttpContext http, AnomalyRequest body, SandboxAnomalies anomalies, SandboxAccount account) =>
        {
            if (Kind(body.Kind) is not { } kind)
                return Results.BadRequest(new { error = "kind is revenue-drop, flow-stops or bounce-spike." });
            if (body.Hours is not (> 0 and <= 24 * 30))
                return Results.BadRequest(new { error = "hours is more than 0 and at most 720." });
            var percent = body.Percent ?? (kind == SandboxAnomalyKind.BounceSpike ? 5 : 60);
            if (percent is <= 0 or > 100 || kind == SandboxAnomalyKind.BounceSpike && percent >= 100)
                return Results.BadRequest(new { error = "percent is more than 0 and at most 100 (below 100 for a bounce spike)." });
            var flows = account.Flows.Where(f => f.Status == "live").ToList();
            var flow = kind == SandboxAnomalyKind.FlowStops ? body.FlowId ?? flows[0].Id : null;
            if (flow is not null && flows.All(f => f.Id != flow))
                return Results.BadRequest(new { error = $"No live flow has the id '{flow}'." });
            var played = anomalies.Play(kind, percent, TimeSpan.FromHours(body.Hours.Value), flow);
            logger.LogWarning("Sandbox anomaly played by {User}: {Anomaly}", http.User.Identity?.Name, played);
            return Results.Ok(played);
        }).RequireAuthorization(controlPolicy);
        app.MapGet(JsonApi.Prefix + "/_control/anomalies", (SandboxAnomalies anomalies) => Results.Ok(anomalies.Played)).RequireAuthorization(controlPolicy);
        app.MapDelete(JsonApi.Prefix + "/_control/anomalies", (SandboxAnomalies anomalies) =>
        {
            anomalies.Clear();
            return Results.NoContent();
        }).RequireAuthorization(controlPolicy);
        return app;
    }

    /// <summary>"Benchmark": 5 million events over the history and 50 000 profiles.</summary>
    internal static void ApplySize(SandboxOptions o)
    {
        if (!string.Equals(o.Size, "Benchmark", StringComparison.OrdinalIgnoreCase))
            return;
        o.EventsPerDay = 5_000_000 / o.HistoryDays;
        o.Profiles = 50_000;
    }

    public sealed record AnomalyRequest(string? Kind, double? Percent, double? Hours, string? FlowId);

    private static SandboxAnomalyKind? Kind(string? kind) => kind?.ToLowerInvariant() switch
    {
        "revenue-drop" => SandboxAnomalyKind.RevenueDrop,
        "flow-stops" => SandboxAnomalyKind.FlowStops,
        "bounce-spike" => SandboxAnomalyKind.BounceSpike,
        _ => null,
    };
}
