using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Klaviyo.Core.Security;

/// <summary>Security:TrustedProxies into ASP.NET Core's forwarded-headers options: only these peers' X-Forwarded-For and -Proto are believed.</summary>
public static class TrustedProxies
{
    public static void Configure(ForwardedHeadersOptions options, IEnumerable<string> trusted)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // The framework trusts loopback by default; here only what the operator listed is trusted.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        // Every trusted hop is unwound; an address a client wrote itself stops at the first peer not listed.
        options.ForwardLimit = null;
        foreach (var entry in trusted.Select(t => t.Trim()).Where(t => t.Length > 0))
        {
            if (entry.Contains('/'))
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
            else if (IPAddress.TryParse(entry, out var address))
                options.KnownProxies.Add(address);
            else
                throw new FormatException($"Security:TrustedProxies: '{entry}' is neither an IP address nor a CIDR network.");
        }
    }
}
