namespace Klaviyo.Sandbox;

/// <summary>
/// The Klaviyo API emulator as a service of its own: several instances of the app share one living
/// account by pointing Klaviyo:BaseUrl at http://&lt;this&gt;/sandbox/klaviyo. Its account's start is
/// kept in Sandbox:AnchorFile (data/sandbox.json by default), so a restart continues the same account.
/// </summary>
public sealed class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SandboxOptions.Section}:Enabled"] = builder.Configuration[$"{SandboxOptions.Section}:Enabled"] ?? "true",
            [$"{SandboxOptions.Section}:AnchorFile"] = builder.Configuration[$"{SandboxOptions.Section}:AnchorFile"] ?? Path.Combine("data", "sandbox.json"),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKlaviyoSandbox();

        var app = builder.Build();
        // Fault control needs the app's Admin role: it is mounted only where the app hosts the sandbox.
        app.MapKlaviyoSandbox();
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.Run();
    }
}
