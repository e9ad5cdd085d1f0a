namespace Klaviyo.Core.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddKlaviyoWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        builder.Services.AddSingleton<WebhookSecret>();
        builder.Services.AddSingleton<WebhookStatus>();
        builder.Services.AddSingleton<WebhookReceiver>();
        builder.Services.AddHostedService<WebhookRegistration>();
        return builder;
    }

    /// <summary>
    /// The receiver, only while a public URL is configured. Anonymous by design: the signature is
    /// its authentication. Outside the API's per-user rate limit (Klaviyo is one sender with bursts).
    /// </summary>
    public static WebApplication MapKlaviyoWebhooks(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.Endpoint is null)
            return app;
        app.MapPost(WebhookOptions.Path, (HttpRequest request, WebhookReceiver receiver, CancellationToken cancellationToken) => receiver.ReceiveAsync(request, cancellationToken))
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }
}
