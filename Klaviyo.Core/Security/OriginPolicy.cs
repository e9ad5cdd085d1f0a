using Microsoft.Extensions.Options;

namespace Klaviyo.Core.Security;

/// <summary>
/// Cross-site checks before anything else runs (before authentication and the socket caps): an
/// upgrade request, or a request that can change state (any method but GET, HEAD and OPTIONS),
/// from a page whose Origin is neither this app nor one of Security:AllowedOrigins is answered 403.
/// An upgrade is recognised by its headers, not by <c>WebSockets.IsWebSocketRequest</c>: that feature
/// exists on Kestrel only once <c>UseWebSockets</c> has run, which is later. Browsers always send
/// Origin on these; tools that send none are not browsers and pass (they still need credentials).
/// </summary>
public sealed class OriginPolicy(IOptions<SecurityOptions> options, ILogger<OriginPolicy> logger)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var request = http.Request;
        var unsafeMethod = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        if ((unsafeMethod || IsUpgrade(request)) && request.Headers.Origin is { Count: > 0 } origin && !IsAllowed(request, origin.ToString()))
        {
            logger.LogWarning("Refused a cross-site {Method} {Path} from {Origin}", request.Method, request.Path, origin.ToString());
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return http.Response.WriteAsJsonAsync(new { errors = new[] { new { message = "Cross-site requests are not allowed from this origin.", extensions = new { code = "FORBIDDEN_ORIGIN" } } } });
        }
        return next();
    }

    /// <summary>
    /// An HTTP/1.1 upgrade (any <c>Upgrade</c> header, a <c>Connection: upgrade</c> token, or a WebSocket
    /// key). HTTP/2 and HTTP/3 WebSockets are extended CONNECT requests: an unsafe method already.
    /// </summary>
    public static bool IsUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0
        || request.Headers.SecWebSocketKey.Count > 0
        || request.Headers.Connection.Any(v => v is not null && v.Contains("upgrade", StringComparison.OrdinalIgnoreCase));

    public bool IsAllowed(HttpRequest request, string origin)
    {
        origin = origin.TrimEnd('/');
        return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) || _allowed.Contains(origin);
    }
}
