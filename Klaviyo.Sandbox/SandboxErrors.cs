using System.Text.Json.Nodes;

namespace Klaviyo.Sandbox;

/// <summary>Klaviyo's JSON:API error bodies (codes and titles as Klaviyo sends them, see KLAVIYO-API.md §5).</summary>
public static class SandboxErrors
{
    public static IResult Invalid(string detail, string? parameter = null) =>
        Error(400, "invalid", "Invalid input.", detail, parameter);

    /// <summary>A body member the spec does not accept: the error's source points at it (<c>/data/attributes/…</c>).</summary>
    public static IResult InvalidMember(string detail, string pointer) =>
        Error(400, "invalid", "Invalid input.", detail, pointer: pointer);

    public static IResult NotAuthenticated() =>
        Error(401, "not_authenticated", "Authentication credentials were not provided.", "Missing or invalid authorization scheme. Please use Klaviyo-API-Key.");

    public static IResult AuthenticationFailed() =>
        Error(401, "authentication_failed", "Incorrect authentication credentials.", "Incorrect authentication credentials.");

    public static IResult PermissionDenied(string detail) => Error(403, "permission_denied", "You do not have permission to perform this action.", detail);

    public static IResult NotFound(string detail) => Error(404, "not_found", "Not found.", detail);

    public static IResult Throttled(int retryAfterSeconds) =>
        Error(429, "throttled", "Request was throttled.", $"Request was throttled. Expected available in {retryAfterSeconds} second{(retryAfterSeconds == 1 ? "" : "s")}.");

    public static IResult ServerError(int status) =>
        Error(status, "error", status == 503 ? "Service unavailable." : "A server error occurred.", "The sandbox injected this fault (see /sandbox/klaviyo/_control/faults).");

    private static IResult Error(int status, string code, string title, string detail, string? parameter = null, string? pointer = null)
    {
        var source = parameter is null ? new JsonObject { ["pointer"] = pointer ?? "/data/" } : new JsonObject { ["parameter"] = parameter };
        var body = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["status"] = status,
                ["code"] = code,
                ["title"] = title,
                ["detail"] = detail,
                ["source"] = source,
                ["links"] = new JsonObject(),
                ["meta"] = new JsonObject(),
            }),
        };
        return Results.Text(body.ToJsonString(), "application/vnd.api+json", statusCode: status);
    }
}
