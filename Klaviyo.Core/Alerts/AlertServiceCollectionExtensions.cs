using Klaviyo.Core.Alerts.Delivery;

namespace Klaviyo.Core.Alerts;

public static class AlertServiceCollectionExtensions
{
    public const string HttpClientName = "alerts";

    /// <summary>Rules, their evaluation on the sync leader, the outbox and its senders (SMTP, Slack, Standard Webhooks).</summary>
    public static IHostApplicationBuilder AddKlaviyoAlerts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<AlertOptions>(builder.Configuration.GetSection(AlertOptions.Section));
        // No request logging: a Slack webhook's URL is its secret, and the factory's loggers write URLs.
        services.AddHttpClient(HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSingleton<DiagnosticSampler>();
        services.AddSingleton<AlertSampler>();
        services.AddSingleton<NotificationPlanner>();
        services.AddSingleton<ContactPointSecrets>();
        services.AddSingleton<AlertMessages>();
        services.AddSingleton<IContactSender, EmailSender>();
        services.AddSingleton<IContactSender, SlackSender>();
        services.AddSingleton<IContactSender, WebhookSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        services.AddSingleton<AlertEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertEvaluator>());
        services.AddSingleton<OutageWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<OutageWatch>());
        services.AddSingleton<AlertService>();
        services.AddSingleton<ContactPointTester>();
        return builder;
    }
}
