using Yarp.ReverseProxy.Configuration;

namespace Klaviyo.LoadBalancer;

/// <summary>
/// YARP in front of the instances named by <c>Destinations</c> (e.g. <c>--Destinations:0=http://127.0.0.1:5201</c>).
/// A browser stays on one instance (cookie affinity: a Blazor Server circuit lives in one process);
/// an instance that stops answering its health check, or fails a request, is taken out of rotation,
/// and its browsers are sent to another instance, where the page reconnects and refetches.
/// </summary>
public sealed class Program
{
    public const string AffinityCookie = "klaviyo.instance";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // A probe a second per instance is not news: only a change of health is logged.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", LogLevel.Warning);
        var destinations = builder.Configuration.GetSection("Destinations").Get<string[]>() ?? [];
        if (destinations.Length == 0)
            throw new InvalidOperationException("No instances to balance: pass --Destinations:0=http://host:port (and :1, :2 …).");
        var cluster = new ClusterConfig
        {
            ClusterId = "dashboard",
            LoadBalancingPolicy = "RoundRobin",
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "Cookie",
                FailurePolicy = "Redistribute",
                AffinityKeyName = AffinityCookie,
                Cookie = new SessionAffinityCookieConfig { HttpOnly = true, SameSite = SameSiteMode.Strict },
            },
            HealthCheck = new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = TimeSpan.FromSeconds(1),
                    Timeout = TimeSpan.FromSeconds(1),
                    Policy = "ConsecutiveFailures",
                    Path = "/health/live",
                },
                Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate", ReactivationPeriod = TimeSpan.FromSeconds(5) },
            },
            Destinations = destinations.Select((address, i) => (Id: $"instance-{i + 1}", Address: address))
                .ToDictionary(d => d.Id, d => new DestinationConfig { Address = d.Address, Health = d.Address }),
        };
        var route = new RouteConfig
        {
            RouteId = "everything",
            ClusterId = cluster.ClusterId,
            Match = new RouteMatch { Path = "{**path}" },
            // The browser's Host goes through (X-Forwarded-* are added too): the app checks Origin against it
            // and serves only host names it knows.
            Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
        };
        builder.Services.AddReverseProxy().LoadFromMemory([route], [cluster]);

        var app = builder.Build();
        app.MapReverseProxy();
        app.Run();
    }
}
