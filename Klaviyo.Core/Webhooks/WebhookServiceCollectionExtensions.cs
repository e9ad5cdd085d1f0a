using Klaviyo.Core.Accounts;
using Microsoft.Extensions.Options;

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
        if (app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.Endpoint is null)
            return app;
        app.MapPost(WebhookOptions.Path, (HttpRequest request, WebhookReceiver receiver, CancellationToken cancellationToken) => receiver.ReceiveAsync(request, cancellationToken))
            .AllowAnonymous()
            .DisableAntiforgery();
        // An added account's deliveries, checked with its secret and stored in its store by its own receiver.
        app.MapPost(WebhookOptions.Path + "/{accountId}", (string accountId, HttpRequest request, AccountShells shells, CancellationToken cancellationToken) =>
                shells.ServicesOf(accountId, app.Services) is { } services && services.GetRequiredService<IOptions<WebhookOptions>>().Value.Endpoint is not null
                    ? services.GetRequiredService<WebhookReceiver>().ReceiveAsync(request, cancellationToken)
                    : Task.FromResult(Results.Json(new { error = "unknown_account", message = $"No running account '{accountId}' receives webhooks here (removed, paused, or not started yet)." },
                        statusCode: StatusCodes.Status404NotFound)))
            .AllowAnonymous()
            .DisableAntiforgery();
        return app;
    }
}
