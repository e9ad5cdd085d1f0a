using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>
/// The Webhooks API (<c>/api/webhooks</c>, <c>/api/webhook-topics</c>; XS tier: 1/s, 15/min). An
/// account without system webhooks (Sandbox:Webhooks=false) is refused with 403 permission_denied.
/// One leniency: besides https, an http endpoint on a loopback host is accepted, so a laptop can
/// receive deliveries.
/// </summary>
public static class SandboxWebhookEndpoints
{
    public static void MapWebhooks(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").AddEndpointFilter(new SandboxGate(RateTier.XS)).AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IOptions<SandboxOptions>>().Value.Webhooks
                ? await next(context)
                : SandboxErrors.PermissionDenied("This account does not have access to system webhooks."));

        group.MapGet("/webhook-topics", (HttpRequest request, SandboxWebhooks webhooks) =>
            JsonApi.Collection(request, webhooks.Topics.Keys.Order().Select(t => Topic(request, t)), null));
        group.MapGet("/webhook-topics/{id}", (string id, HttpRequest request, SandboxWebhooks webhooks) =>
            webhooks.Topics.ContainsKey(id) ? JsonApi.Single(request, Topic(request, id)) : SandboxErrors.NotFound($"No webhook topic {id}."));

        group.MapGet("/webhooks", (HttpRequest request, SandboxWebhooks webhooks) =>
            JsonApi.Collection(request, webhooks.All.Select(w => Webhook(request, w)), null));
        group.MapGet("/webhooks/{id}", (string id, HttpRequest request, SandboxWebhooks webhooks) =>
            webhooks.Find(id) is { } w ? JsonApi.Single(request, Webhook(request, w)) : SandboxErrors.NotFound($"No webhook {id}."));

        group.MapPost("/webhooks", CreateAsync);

        group.MapPatch("/webhooks/{id}", UpdateAsync);

        group.MapDelete("/webhooks/{id}", (string id, SandboxWebhooks webhooks) =>
            webhooks.Delete(id) ? Results.NoContent() : SandboxErrors.NotFound($"No webhook {id}."));
    }

    /// <summary>Registers a webhook: a name, an https (or loopback) endpoint, a secret and at least one topic the account offers.</summary>
    private static async Task<IResult> CreateAsync(HttpRequest request, SandboxWebhooks webhooks, TimeProvider time, IOptions<SandboxOptions> options)
    {
        var (data, error) = await ReadAsync(request, "webhook");
        if (error is not null)
            return error;
        var attributes = data!["attributes"] as JsonObject;
        var name = attributes?["name"]?.GetValue<string>();
        var secret = attributes?["secret_key"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(secret))
            return SandboxErrors.Invalid("'name', 'endpoint_url' and 'secret_key' are required.");
        if (Endpoint(attributes!["endpoint_url"]) is not { } endpoint)
            return SandboxErrors.Invalid("'endpoint_url' must be an https URL.");
        if (!Allowed(endpoint, options.Value))
            return NotATarget();
        if (Topics(data, webhooks) is not { Count: > 0 } topics)
            return SandboxErrors.Invalid("'webhook-topics' must list at least one topic the account offers (see /api/webhook-topics).");
        var now = time.GetUtcNow().UtcDateTime;
        var webhook = new SandboxWebhook(Guid.NewGuid().ToString("N")[..26].ToUpperInvariant(), name, attributes["description"]?.GetValue<string>(),
            endpoint, secret, true, topics, now, now, JsonApi.BaseUrl(request));
        webhooks.Save(webhook);
        return Results.Text(new JsonObject { ["data"] = Webhook(request, webhook) }.ToJsonString(), JsonApi.MediaType, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Changes what the request names (name, description, endpoint, secret, enabled, topics); the rest stays.</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, SandboxWebhooks webhooks, TimeProvider time, IOptions<SandboxOptions> options)
    {
        if (webhooks.Find(id) is not { } webhook)
            return SandboxErrors.NotFound($"No webhook {id}.");
        var (data, error) = await ReadAsync(request, "webhook");
        if (error is not null)
            return error;
        if (data!["id"]?.GetValue<string>() != id)
            return SandboxErrors.Invalid("'data.id' must be the webhook's id.");
        var attributes = data["attributes"] as JsonObject ?? [];
        if (attributes.ContainsKey("endpoint_url") && Endpoint(attributes["endpoint_url"]) is null)
            return SandboxErrors.Invalid("'endpoint_url' must be an https URL.");
        if (attributes.ContainsKey("endpoint_url") && !Allowed(Endpoint(attributes["endpoint_url"])!, options.Value))
            return NotATarget();
        var topics = data["relationships"] is null ? webhook.Topics : Topics(data, webhooks);
        if (topics is not { Count: > 0 })
            return SandboxErrors.Invalid("'webhook-topics' must list at least one topic the account offers.");
        webhook = webhook with
        {
            Name = attributes["name"]?.GetValue<string>() ?? webhook.Name,
            Description = attributes.ContainsKey("description") ? attributes["description"]?.GetValue<string>() : webhook.Description,
            EndpointUrl = attributes.ContainsKey("endpoint_url") ? Endpoint(attributes["endpoint_url"])! : webhook.EndpointUrl,
            Secret = attributes["secret_key"]?.GetValue<string>() ?? webhook.Secret,
            Enabled = attributes["enabled"]?.GetValue<bool>() ?? webhook.Enabled,
            Topics = topics,
            UpdatedAt = time.GetUtcNow().UtcDateTime,
            BaseUrl = JsonApi.BaseUrl(request),
        };
        webhooks.Save(webhook);
        return JsonApi.Single(request, Webhook(request, webhook));
    }

    private static async Task<(JsonObject? Data, IResult? Error)> ReadAsync(HttpRequest request, string type)
    {
        try
        {
            var body = await JsonNode.ParseAsync(request.Body);
            if (body?["data"] is not JsonObject data || data["type"]?.GetValue<string>() != type)
                return (null, SandboxErrors.Invalid($"The body must be a JSON:API document with data.type '{type}'."));
            return (data, null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, SandboxErrors.Invalid("The body is not valid JSON: " + e.Message));
        }
    }

    /// <summary>
    /// Only the configured receivers, or one path segment beneath one (the app's receiver of an added account,
    /// <c>/webhooks/klaviyo/{account}</c>): a sandbox anyone can reach must not POST wherever it is told.
    /// </summary>
    private static bool Allowed(Uri endpoint, SandboxOptions options) =>
        options.WebhookTargets.Any(t => Uri.TryCreate(t, UriKind.Absolute, out var target)
            && Uri.Compare(target, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            && (endpoint.AbsolutePath.TrimEnd('/') is var path && target.AbsolutePath.TrimEnd('/') is var receiver)
            && (string.Equals(path, receiver, StringComparison.OrdinalIgnoreCase)
                || path.StartsWith(receiver + "/", StringComparison.OrdinalIgnoreCase) && path.Length > receiver.Length + 1 && !path[(receiver.Length + 1)..].Contains('/')));

    private static IResult NotATarget() =>
        SandboxErrors.Invalid("'endpoint_url' is not a receiver this sandbox delivers to: list it in Sandbox:WebhookTargets (hosted, the app's Klaviyo:Webhooks:PublicUrl is).");

    private static Uri? Endpoint(JsonNode? value) =>
        value?.GetValue<string>() is { } text && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)
            ? uri : null;

    private static List<string>? Topics(JsonObject data, SandboxWebhooks webhooks)
    {
        if (data["relationships"]?["webhook-topics"]?["data"] is not JsonArray items)
            return null;
        var topics = items.Select(t => t?["id"]?.GetValue<string>() ?? "").ToList();
        return topics.All(webhooks.Topics.ContainsKey) ? [.. topics.Distinct()] : null;
    }

    private static JsonObject Topic(HttpRequest request, string id) =>
        JsonApi.Resource(request, "webhook-topic", "webhook-topics", id, new JsonObject { ["name"] = id["event:klaviyo.".Length..].Replace('_', ' ') });

    private static JsonObject Webhook(HttpRequest request, SandboxWebhook w) =>
        JsonApi.Resource(request, "webhook", "webhooks", w.Id, new JsonObject
        {
            ["name"] = w.Name,
            ["description"] = w.Description,
            // Klaviyo truncates the URL in answers, for security.
            ["endpoint_url"] = $"{w.EndpointUrl.Scheme}://{w.EndpointUrl.Authority}/…",
            ["enabled"] = w.Enabled,
            ["created_at"] = JsonApi.Iso(w.CreatedAt),
            ["updated_at"] = JsonApi.Iso(w.UpdatedAt),
        }, new JsonObject
        {
            ["webhook-topics"] = new JsonObject { ["data"] = new JsonArray([.. w.Topics.Select(t => (JsonNode)new JsonObject { ["type"] = "webhook-topic", ["id"] = t })]) },
        });
}
