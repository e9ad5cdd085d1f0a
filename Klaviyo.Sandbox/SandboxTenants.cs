using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Klaviyo.Sandbox;

/// <summary>
/// The sandbox's further accounts (<see cref="SandboxOptions.Accounts"/>), each a set of the
/// sandbox's own services — timeline, account, rate limiter, faults, anomalies, webhooks — of its
/// own, so that nothing of one (its quota, its faults, its data) is another's. A request is served
/// by the account whose key it sends: <see cref="Route"/> gives the endpoints that account's services
/// in place of the main one's, the way Klaviyo tells accounts apart by their private keys.
/// </summary>
public sealed class SandboxTenants
{
    /// <summary>What an account owns; every other service is the host's.</summary>
    private static readonly Type[] Owned =
        [typeof(IOptions<SandboxOptions>), typeof(SandboxTimeline), typeof(SandboxAccount), typeof(SandboxRateLimiter), typeof(SandboxFaultSwitch), typeof(SandboxAnomalies), typeof(SandboxWebhooks)];

    private readonly Dictionary<string, Tenant> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tenant> _byName = new(StringComparer.OrdinalIgnoreCase);

    public SandboxTenants(IOptions<SandboxOptions> main, IConfiguration configuration, IServiceProvider root)
    {
        foreach (var section in configuration.GetSection($"{SandboxOptions.Section}:{nameof(SandboxOptions.Accounts)}").GetChildren())
        {
            var options = Inherit(main.Value, section);
            if (options.ApiKey == main.Value.ApiKey || _byKey.ContainsKey(options.ApiKey))
                throw new OptionsValidationException(SandboxOptions.Section, typeof(SandboxOptions), [$"Sandbox account '{section.Key}' needs a key of its own."]);
            _byKey[options.ApiKey] = _byName[section.Key] = new Tenant(section.Key, options, Build(options, root));
        }
    }

    /// <summary>The further accounts' names and options (keys included: the host shows them only to Admins).</summary>
    public IReadOnlyList<(string Name, SandboxOptions Options)> Accounts => [.. _byName.Values.Select(t => (t.Name, t.Options))];

    /// <summary>Whether <paramref name="key"/> is one of the further accounts' keys.</summary>
    public bool Knows(string key) => _byKey.ContainsKey(key);

    /// <summary>The services an account's request is served with: its own where it owns them, the host's otherwise; null for the main account's key or an unknown one.</summary>
    public IServiceProvider? ForKey(string key, IServiceProvider requestServices) =>
        _byKey.TryGetValue(key, out var tenant) ? new Routed(tenant.Services, requestServices) : null;

    /// <summary>The services of the account named <paramref name="name"/> (the fault control's <c>?account=</c>); null when there is none.</summary>
    public IServiceProvider? ForName(string name, IServiceProvider requestServices) =>
        _byName.TryGetValue(name, out var tenant) ? new Routed(tenant.Services, requestServices) : null;

    /// <summary>Serves each request to the sandbox's API with the services of the account whose key it sends, and the control endpoints with those of <c>?account=</c>.</summary>
    public static async Task Route(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path;
        // Every request of the hosting app passes here: anything outside the sandbox goes on untouched.
        if (!path.StartsWithSegments(JsonApi.Prefix))
        {
            await next();
            return;
        }
        var tenants = http.RequestServices.GetRequiredService<SandboxTenants>();
        IServiceProvider? routed = null;
        if (path.StartsWithSegments(JsonApi.Prefix + "/api")
            && http.Request.Headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Klaviyo-API-Key ", StringComparison.Ordinal))
            routed = tenants.ForKey(authorization["Klaviyo-API-Key ".Length..].Trim(), http.RequestServices);
        else if (path.StartsWithSegments(JsonApi.Prefix + "/_control") && http.Request.Query["account"].ToString() is { Length: > 0 } name)
        {
            routed = tenants.ForName(name, http.RequestServices);
            if (routed is null)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                await http.Response.WriteAsJsonAsync(new { error = $"The sandbox has no account named '{name}'." });
                return;
            }
        }
        if (routed is null)
        {
            await next();
            return;
        }
        var host = http.RequestServices;
        http.RequestServices = routed;
        try
        {
            await next();
        }
        finally
        {
            http.RequestServices = host;
        }
    }

    /// <summary>The main account's settings, then the account's own: a different seed (different data and ids), key, id and anchor file unless it names them.</summary>
    private static SandboxOptions Inherit(SandboxOptions main, IConfigurationSection section)
    {
        var options = JsonSerializer.Deserialize<SandboxOptions>(JsonSerializer.Serialize(main))!;
        var name = section.Key;
        options.ApiKey = $"{main.ApiKey}_{name.ToLowerInvariant()}";
        options.Seed = main.Seed + 7919 * (1 + name.Aggregate(0, (h, c) => (h * 31 + char.ToLowerInvariant(c)) % 100_003));
        options.AccountId = new string([.. name.ToUpperInvariant().Where(char.IsAsciiLetterOrDigit).Concat("XXXXXX").Take(6)]);
        options.AccountName = name;
        options.AnchorFile = main.AnchorFile is { Length: > 0 } file ? Path.ChangeExtension(file, $".{name.ToLowerInvariant()}{Path.GetExtension(file)}") : null;
        options.Webhooks = false;
        options.DailyAnomaly = false;
        section.Bind(options);
        // The main account's list came with the copy (and a section may nest one): an account has no accounts of its own.
        options.Accounts = [];
        SandboxServiceCollectionExtensions.ApplySize(options);
        return options;
    }

    private static ServiceProvider Build(SandboxOptions options, IServiceProvider root)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(root.GetService<TimeProvider>() ?? TimeProvider.System);
        services.AddSingleton(root.GetRequiredService<IHostEnvironment>());
        services.AddSingleton(root.GetRequiredService<ILoggerFactory>());
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton<SandboxTimeline>();
        services.AddSingleton<SandboxAccount>();
        services.AddSingleton<SandboxRateLimiter>();
        services.AddSingleton<SandboxFaultSwitch>();
        services.AddSingleton<SandboxAnomalies>();
        services.AddSingleton<SandboxWebhooks>();
        var provider = services.BuildServiceProvider();
        // Created now, not at its first request: the account's anchor (its start) is fixed at start-up, as the main account's is.
        provider.GetRequiredService<SandboxAccount>();
        return provider;
    }

    private sealed record Tenant(string Name, SandboxOptions Options, ServiceProvider Services);

    /// <summary>An account's own services first, the request's otherwise.</summary>
    private sealed class Routed(IServiceProvider tenant, IServiceProvider request) : IServiceProvider
    {
        public object? GetService(Type serviceType) => Owned.Contains(serviceType) ? tenant.GetService(serviceType) : request.GetService(serviceType);
    }
}
