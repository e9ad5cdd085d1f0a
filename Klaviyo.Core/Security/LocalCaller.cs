using System.Net;

namespace Klaviyo.Core.Security;

/// <summary>
/// Whether the request comes from this machine itself: a loopback TCP peer whose request carries no
/// sign of having been relayed (<c>Forwarded</c>, <c>X-Forwarded-*</c>, <c>X-Original-*</c>, <c>Via</c>).
/// A reverse proxy on the same host is a loopback peer too, so the bind address or the Host header
/// says nothing about who is calling; only this does. Decided first in the pipeline, before the
/// forwarded-headers middleware rewrites the peer's address.
/// </summary>
public static class LocalCaller
{
    private static readonly object Key = new();
    private static readonly string[] RelayHeaders = ["Forwarded", "Via", "X-Real-IP"];
    private static readonly string[] RelayPrefixes = ["X-Forwarded-", "X-Original-"];

    public static Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        http.Items[Key] = IsDirectLoopback(http);
        return next();
    }

    /// <summary>True for a loopback peer that was not relayed; false before <see cref="InvokeAsync"/> ran.</summary>
    public static bool IsLocal(HttpContext http) => http.Items.TryGetValue(Key, out var local) && local is true;

    private static bool IsDirectLoopback(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is not { } peer || !IPAddress.IsLoopback(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer))
            return false;
        foreach (var header in http.Request.Headers.Keys)
        {
            if (RelayHeaders.Any(h => header.Equals(h, StringComparison.OrdinalIgnoreCase))
                || RelayPrefixes.Any(p => header.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return true;
    }
}
