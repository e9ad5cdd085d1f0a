using System.Net;
using Microsoft.Extensions.Configuration;

namespace Klaviyo.Api;

/// <summary>
/// The addresses the configuration asks Kestrel to listen on (urls, http_ports, https_ports, Kestrel:Endpoints):
/// both services refuse a network address they were not told to serve (the app without authentication,
/// the sandbox without Sandbox:AllowNetwork).
/// </summary>
public static class ListenAddresses
{
    /// <summary>Configured addresses that are not loopback; empty when every one is (or none is set: Kestrel's default is localhost).</summary>
    public static IReadOnlyList<string> NonLoopback(IConfiguration configuration)
    {
        var addresses = new List<string>();
        if (configuration["urls"] is { Length: > 0 } urls)
            addresses.AddRange(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var key in new[] { "http_ports", "https_ports" })
            if (configuration[key] is { Length: > 0 } ports)
                addresses.AddRange(ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"));
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
            if (endpoint["Url"] is { Length: > 0 } url)
                addresses.Add(url);
        return [.. addresses.Where(a => !IsLoopback(a))];
    }

    public static bool IsLoopback(string address)
    {
        var host = HostOf(address);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static string HostOf(string address)
    {
        var start = address.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? address : address[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']') + 1 : rest.IndexOfAny([':', '/']);
        return end <= 0 ? rest : rest[..end];
    }
}
