using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Klaviyo.Core.Diagnostics;

public static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>
    /// Request, cache and subscription statistics, health checks, and OpenTelemetry metrics.
    /// Reports on the pieces of AddKlaviyoFreshness and AddKlaviyoSync: add those too.
    /// </summary>
    public static IHostApplicationBuilder AddKlaviyoDiagnostics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<RequestStatistics>();
        services.AddSingleton<SubscriptionStatistics>();
        services.AddSingleton<DatabaseProbe>();
        services.AddSingleton<DiagnosticsReader>();
        services.AddSingleton<KlaviyoMeters>();
        services.AddHostedService(sp => sp.GetRequiredService<KlaviyoMeters>());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SyncHealthCheck>("sync", tags: ["ready"]);

        // Every log line carries the trace and span it was written in (a sync's lines are its run's spans).
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        // Metrics, traces and logs leave the process only when an OTLP endpoint is configured (OpenTelemetry:OtlpEndpoint).
        var otlp = builder.Configuration["OpenTelemetry:OtlpEndpoint"];
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            var endpoint = new Uri(otlp);
            services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("Klaviyo.Dashboard", serviceVersion: AppVersion.Current,
                    serviceInstanceId: builder.Configuration["Coordination:InstanceId"], autoGenerateServiceInstanceId: false))
                .WithMetrics(m => m
                    .AddMeter(KlaviyoMeters.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithTracing(t => t
                    .AddSource(KlaviyoTracing.Sources)
                    .AddAspNetCoreInstrumentation()
                    .AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithLogging(l => l.AddOtlpExporter(o => o.Endpoint = endpoint));
        }
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the database answers and no entity's sync is failing.</summary>
    public static IEndpointRouteBuilder MapKlaviyoHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponseWriter.WriteAsync });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponseWriter.WriteAsync });
        return endpoints;
    }
}
