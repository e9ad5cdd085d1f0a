namespace Klaviyo.Sandbox;

/// <summary>
/// The Klaviyo API emulator as a service of its own: several instances of the app share one living
/// account by pointing Klaviyo:BaseUrl at http://&lt;this&gt;/sandbox/klaviyo. Its account's start is
/// kept in Sandbox:AnchorFile (data/sandbox.json by default), so a restart continues the same account.
/// It listens on loopback only unless Sandbox:AllowNetwork is set, and delivers webhooks only to
/// Sandbox:WebhookTargets.
/// </summary>
public sealed class Program
{
    public static int Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SandboxOptions.Section}:Enabled"] = builder.Configuration[$"{SandboxOptions.Section}:Enabled"] ?? "true",
            [$"{SandboxOptions.Section}:AnchorFile"] = builder.Configuration[$"{SandboxOptions.Section}:AnchorFile"] ?? Path.Combine("data", "sandbox.json"),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddKlaviyoSandbox();

        // Anyone who reaches the sandbox can spend its quotas and read its account: loopback unless told.
        if (ListenAddresses.NonLoopback(builder.Configuration) is { Count: > 0 } network && !builder.Configuration.GetValue<bool>($"{SandboxOptions.Section}:AllowNetwork"))
        {
            Console.Error.WriteLine($"Not started: refusing to serve the sandbox on {string.Join(", ", network)}. Listen on loopback (--urls http://127.0.0.1:5190), " +
                "or set Sandbox:AllowNetwork=true and Sandbox:ApiKey to a key of your own.");
            return 1;
        }

        var app = builder.Build();
        // Fault control needs the app's Admin role: it is mounted only where the app hosts the sandbox.
        app.MapKlaviyoSandbox();
        app.MapGet("/health", () => Results.Text("Healthy"));
        app.Run();
        return 0;
    }
}
