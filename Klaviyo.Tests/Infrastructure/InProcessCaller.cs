using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Klaviyo.Tests.Infrastructure;

/// <summary>
/// TestServer's requests come from no address at all; the product grants the local Admin only to a
/// loopback peer. The tests' in-process client is this machine, so it is given the loopback address
/// (over Kestrel the real peer's address is already set and is left alone).
/// </summary>
public static class InProcessCaller
{
    public static void AddLoopbackPeer(this IServiceCollection services) => services.AddSingleton<IStartupFilter, LoopbackPeer>();

    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                http.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return following();
            });
            next(app);
        };
    }
}
