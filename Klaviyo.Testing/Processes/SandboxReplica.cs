using Klaviyo.Sandbox;

namespace Klaviyo.Testing.Processes;

/// <summary>The account a sandbox in another process served, rebuilt here from the same settings and its anchor (same seed, same start: the same events).</summary>
public static class SandboxReplica
{
    public static SandboxAccount Of(IReadOnlyDictionary<string, string?> settings, string anchor)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration["Sandbox:AnchorFile"] = anchor;
        builder.AddKlaviyoSandbox();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder.Build().Services.GetRequiredService<SandboxAccount>();
    }
}
